package io.nnft.network;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nnft.imageio.NdArray;
import io.nnft.imageio.Npy;
import io.nnft.imageio.Npz;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Replays nnU-Net training steps recorded in a reference folder and compares ours with them: the folder is laid
 * out like shared/fixtures/nnunet-ref/train_step/&lt;key&gt;/ — {@code meta.json} (arch_kwargs,
 * num_input_channels, num_segmentation_heads, loss.soft_dice_kwargs.batch_dice, loss.deep_supervision_weights,
 * optimizer lr/momentum/weight_decay/nesterov, steps[i].loss and grad_total_norm_before_clip), {@code initial.npz},
 * {@code input.npy}, {@code target.npy}, {@code step1.npz}, {@code step2.npz}, … . Parameters are compared by
 * their canonical (named_parameters) keys.
 */
public final class TrainStepReplay {
    /** Verdict limits: relative loss difference and absolute parameter difference (the folder's float64 note: ~1e-7). */
    public static final double LOSS_REL_TOLERANCE = 1e-5;
    public static final double PARAM_ABS_TOLERANCE = 1e-5;

    /** A bundled reference (nnU-Net 2.8.1, slim e_tiny_iso network) on the class path. */
    public static final String BUNDLED = "nnunet-ref/train_step/e_tiny_iso/";
    private static final List<String> BUNDLED_FILES = List.of("meta.json", "initial.npz", "input.npy", "target.npy",
            "step1.npz", "step2.npz");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TrainStepReplay() {
    }

    /** One step: ours beside the reference's. */
    public record Step(int step, double loss, double referenceLoss, double gradNorm, double referenceGradNorm,
                       double maxParamDiff, String worstParam) {
        public double lossRel() {
            return relative(loss, referenceLoss);
        }

        public double gradNormRel() {
            return relative(gradNorm, referenceGradNorm);
        }

        public boolean ok() {
            return lossRel() <= LOSS_REL_TOLERANCE && maxParamDiff <= PARAM_ABS_TOLERANCE; // NaN fails
        }
    }

    public record Report(List<Step> steps) {
        public boolean ok() {
            return !steps.isEmpty() && steps.stream().allMatch(Step::ok);
        }

        public double worstLossRel() {
            return worst(steps.stream().mapToDouble(Step::lossRel).toArray());
        }

        public double worstGradNormRel() {
            return worst(steps.stream().mapToDouble(Step::gradNormRel).toArray());
        }

        public double worstParamDiff() {
            return worst(steps.stream().mapToDouble(Step::maxParamDiff).toArray());
        }

        /** {@code train-step check: OK|FAILED loss <rel> grad-norm <rel> params <abs>}. */
        public String verdict() {
            return String.format("train-step check: %s loss %.2e grad-norm %.2e params %.2e", ok() ? "OK" : "FAILED",
                    worstLossRel(), worstGradNormRel(), worstParamDiff());
        }
    }

    /** The reference bundled with nnft, copied out of the class path into {@code dir}. */
    public static Path extractBundled(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String f : BUNDLED_FILES) {
            try (InputStream in = TrainStepReplay.class.getClassLoader().getResourceAsStream(BUNDLED + f)) {
                if (in == null) {
                    throw new IllegalStateException("bundled reference " + BUNDLED + f + " missing from the class path");
                }
                Files.copy(in, dir.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return dir;
    }

    /**
     * @param steps how many recorded steps to replay (each needs step&lt;i&gt;.npz and meta.json steps[i-1])
     */
    public static Report replay(Path dir, int steps) throws IOException {
        Path metaFile = dir.resolve("meta.json");
        if (!Files.isRegularFile(metaFile)) {
            throw new IllegalArgumentException("--reference: expected a folder with meta.json, initial.npz, input.npy, "
                    + "target.npy and step<i>.npz, found no meta.json in " + dir);
        }
        JsonNode meta = MAPPER.readTree(metaFile.toFile());
        String where = metaFile.toString();
        JsonNode recorded = meta.path("steps");
        if (steps < 1 || recorded.size() < steps) {
            throw new IllegalArgumentException(where + ": --steps " + steps + " asked, steps[] records " + recorded.size());
        }
        PlainConvUNetConfig config = PlainConvUNetConfig.fromArchKwargs(meta.get("arch_kwargs"),
                required(meta, "num_input_channels", where).asInt(), required(meta, "num_segmentation_heads", where).asInt(),
                true, where + " arch_kwargs");
        JsonNode loss = required(meta, "loss", where);
        JsonNode opt = required(meta, "optimizer", where);
        if (!opt.path("nesterov").asBoolean(true)) {
            throw new IllegalArgumentException(where + ": optimizer.nesterov false; nnft replays nnU-Net's Nesterov SGD");
        }
        JsonNode ignore = loss.get("ignore_label");
        DiceCeLoss dice = new DiceCeLoss(loss.path("soft_dice_kwargs").path("batch_dice").asBoolean(false),
                loss.path("soft_dice_kwargs").path("smooth").asDouble(1e-5), loss.path("weight_ce").asDouble(1),
                loss.path("weight_dice").asDouble(1), ignore == null || ignore.isNull() ? null : ignore.asInt());
        JsonNode w = required(loss, "deep_supervision_weights", where + " loss");
        double[] dsWeights = new double[w.size()];
        for (int i = 0; i < dsWeights.length; i++) {
            dsWeights[i] = w.get(i).asDouble();
        }
        NdArray input = Npy.read(file(dir, "input.npy"));
        NdArray target = Npy.read(file(dir, "target.npy"));
        List<Step> out = new ArrayList<>();
        try (NDManager manager = Networks.engine().newBaseManager()) {
            PlainConvUNet net = Networks.create(config, manager);
            StateDict.load(net, Npz.read(file(dir, "initial.npz")), dir.resolve("initial.npz").toString());
            NesterovSgd sgd = new NesterovSgd(manager, List.of(ParamGroup.all(required(opt, "lr", where).asDouble())),
                    required(opt, "momentum", where).asDouble(), opt.path("weight_decay").asDouble(0));
            TrainStep step = new TrainStep(net, new DeepSupervisionLoss(dice, dsWeights), sgd,
                    TrainStep.NNUNET_MAX_GRAD_NORM, manager);
            for (int s = 1; s <= steps; s++) {
                TrainStep.Result r = step.run(input, target);
                Map<String, NdArray> expected = Npz.read(file(dir, "step" + s + ".npz"));
                Map<String, NdArray> ours = StateDict.exportCanonical(net);
                double worst = 0;
                String worstKey = "";
                for (Map.Entry<String, NdArray> e : expected.entrySet()) {
                    NdArray o = ours.get(e.getKey());
                    if (o == null) {
                        throw new IllegalArgumentException(dir.resolve("step" + s + ".npz") + ": parameter '" + e.getKey()
                                + "' is not in our network");
                    }
                    double d = maxAbsDiff(o.toFloats(), e.getValue().toFloats(), e.getKey());
                    if (!(d <= worst)) {
                        worst = d;
                        worstKey = e.getKey();
                    }
                }
                JsonNode ref = recorded.get(s - 1);
                out.add(new Step(s, r.loss(), required(ref, "loss", where + " steps[" + (s - 1) + "]").asDouble(),
                        r.gradNormBeforeClip(), ref.path("grad_total_norm_before_clip").asDouble(Double.NaN), worst,
                        worstKey));
            }
        }
        return new Report(out);
    }

    private static Path file(Path dir, String name) {
        Path p = dir.resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("--reference " + dir + ": expected " + name + ", found none");
        }
        return p;
    }

    private static JsonNode required(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException(where + ": expected '" + field + "', found none");
        }
        return v;
    }

    private static double maxAbsDiff(float[] a, float[] b, String key) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("parameter '" + key + "': ours has " + a.length + " values, the reference "
                    + b.length);
        }
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs((double) a[i] - b[i]);
            if (!(d <= m)) {
                m = d;
            }
        }
        return m;
    }

    private static double relative(double ours, double reference) {
        return Math.abs(ours - reference) / Math.max(Math.abs(reference), 1e-12);
    }

    private static double worst(double[] values) {
        double m = 0;
        for (double v : values) {
            if (!(v <= m)) {
                m = v;
            }
        }
        return m;
    }
}
