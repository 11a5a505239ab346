package io.nnft.network;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The engine's self-check on the machine and device where it runs ({@code nnft doctor}, and the trainer before it
 * claims a job): replays the bundled nnU-Net training steps, and checks every convolution of the plan plus the
 * other ops against float64 ({@link GradientCheck}). A wrong kernel that the conv repair covers switches the repair
 * on (when its mode is auto) and is checked again; anything still wrong is a failure that names the op and how far
 * off it is.
 */
public final class SelfCheck {
    /** oneDNN bundled with the libtorch nnft pins (ONEDNN_VERBOSE=1 prints "oneDNN v3.7.1" for 2.7.1). */
    private static final Map<String, String> ONEDNN = Map.of("2.7.1", "3.7.1");

    private SelfCheck() {
    }

    public record Environment(String libtorch, String onednn, String device, String cpu, String isa, int threads) {
        public List<String> lines() {
            return List.of("libtorch " + libtorch + " (oneDNN " + onednn + ")", "device " + device,
                    "cpu " + cpu, "cpu isa " + isa, "threads " + threads);
        }
    }

    public record Result(Environment environment, TrainStepReplay.Report replay, List<GradientCheck.Outcome> checks,
                         String repair, double seconds) {
        public boolean ok() {
            return replay.ok() && checks.stream().allMatch(GradientCheck.Outcome::ok);
        }

        /** {@code doctor: OK} or {@code doctor: FAILED <what, how far off>}. */
        public String verdict() {
            if (ok()) {
                return "doctor: OK";
            }
            List<String> what = new ArrayList<>();
            if (!replay.ok()) {
                what.add("nnU-Net train-step replay off by loss " + String.format("%.2e", replay.worstLossRel())
                        + " (rel), params " + String.format("%.2e", replay.worstParamDiff()));
            }
            for (GradientCheck.Outcome o : checks) {
                if (!o.ok()) {
                    what.add(o.name() + " " + o.worstTensor() + " off by " + String.format("%.2e", o.worstRelError())
                            + " (rel, tolerance " + GradientCheck.TOLERANCE + ")");
                }
            }
            return "doctor: FAILED " + String.join("; ", what);
        }
    }

    public static Environment environment() {
        Engine e = Networks.engine();
        String version = e.getVersion();
        return new Environment(version, ONEDNN.getOrDefault(version, "bundled with libtorch " + version),
                e.defaultDevice().toString(), cpuModel(), isa(), JniUtils.getNumThreads());
    }

    /**
     * @param plan  the network to check (every distinct conv at {@code batch})
     * @param scratch where the bundled reference is unpacked
     */
    public static Result run(PlainConvUNetConfig plan, int batch, Path scratch, Consumer<String> log) throws IOException {
        long t0 = System.nanoTime();
        Environment env = environment();
        env.lines().forEach(log);
        TrainStepReplay.Report replay = TrainStepReplay.replay(TrainStepReplay.extractBundled(scratch), 2);
        for (TrainStepReplay.Step s : replay.steps()) {
            log.accept(String.format("nnU-Net step %d: loss %.7f (ref %.7f), grad norm %.7f (ref %.7f), max |param - ref| %.2e",
                    s.step(), s.loss(), s.referenceLoss(), s.gradNorm(), s.referenceGradNorm(), s.maxParamDiff()));
        }
        List<GradientCheck.Outcome> checks;
        try (NDManager m = Networks.engine().newBaseManager()) {
            checks = gradientChecks(m, plan, batch);
            if (checks.stream().anyMatch(o -> !o.ok()) && !ConvBackwardRepair.active()
                    && ConvBackwardRepair.mode().equals("auto")) {
                GradientCheck.Outcome first = checks.stream().filter(o -> !o.ok()).findFirst().orElseThrow();
                log.accept("wrong without the conv repair (" + first + "): switching it on and checking again");
                ConvBackwardRepair.enable("auto: the plan's self-check found " + first);
                checks = gradientChecks(m, plan, batch);
            }
        }
        checks.forEach(o -> log.accept(o.toString()));
        log.accept("conv backward repair: " + ConvBackwardRepair.reason());
        return new Result(env, replay, checks, ConvBackwardRepair.reason(), (System.nanoTime() - t0) / 1e9);
    }

    private static List<GradientCheck.Outcome> gradientChecks(NDManager m, PlainConvUNetConfig plan, int batch) {
        List<GradientCheck.Outcome> out = new ArrayList<>();
        boolean repair = ConvBackwardRepair.active();
        long seed = 1;
        for (GradientCheck.ConvShape s : GradientCheck.convShapes(plan, batch)) {
            out.add(GradientCheck.conv(m, s, repair, seed++));
        }
        out.addAll(GradientCheck.otherOps(m, plan, batch, seed));
        return out;
    }

    private static String cpuModel() {
        for (String line : cpuinfo()) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).trim() + ", " + Runtime.getRuntime().availableProcessors()
                        + " cores";
            }
        }
        return System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors() + " cores";
    }

    /** The widest instruction set oneDNN's CPU kernels may use here (its ONEDNN_MAX_CPU_ISA cap included). */
    private static String isa() {
        String flags = "";
        for (String line : cpuinfo()) {
            if (line.startsWith("flags")) {
                flags = " " + line.substring(line.indexOf(':') + 1) + " ";
                break;
            }
        }
        String isa = flags.contains(" avx512f ") && flags.contains(" avx512bw ") && flags.contains(" avx512vl ")
                ? "AVX-512 (avx512_core)" : flags.contains(" avx2 ") ? "AVX2" : flags.contains(" sse4_1 ") ? "SSE4.1"
                : flags.isBlank() ? System.getProperty("os.arch") : "below SSE4.1";
        String cap = System.getenv("ONEDNN_MAX_CPU_ISA");
        return cap == null ? isa : isa + ", capped by ONEDNN_MAX_CPU_ISA=" + cap.toUpperCase(Locale.ROOT);
    }

    private static List<String> cpuinfo() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo"));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
