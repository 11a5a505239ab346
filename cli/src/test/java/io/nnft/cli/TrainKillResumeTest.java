package io.nnft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nnft.checkpoint.NnUNetCheckpoint;
import io.nnft.training.KillAtHook;
import io.nnft.training.PausingCheckpointWriter;
import io.nnft.training.synth.SyntheticDatasetWriter;
import io.nnft.training.synth.SyntheticGenerator;
import io.nnft.training.synth.SyntheticTask;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The proof: SIGKILL the {@code nnft train} process (its own JVM, like {@code ./nnft train}) after epoch 2,
 * and once while it writes checkpoint_latest.pth, then {@code train --resume}: with {@code --deterministic} epochs
 * 3–4 have the losses of an uninterrupted run (within 1e-4). The kill moments are pinned by
 * {@link PausingCheckpointWriter} (the process pauses there and is killed), not by timing luck. Every run uses one
 * libtorch thread, so the three trajectories use the same kernels.
 */
class TrainKillResumeTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int EPOCHS = 4;

    @TempDir
    static Path tmp;
    private static Path data;
    private static JsonNode straight;

    @BeforeAll
    static void dataAndUninterruptedRun() throws Exception {
        data = tmp.resolve("pre");
        SyntheticGenerator g = new SyntheticGenerator(SyntheticTask.A, new int[] {24, 24, 24}, 1.0, 5);
        SyntheticDatasetWriter.writePreprocessed(data, SyntheticTask.A, SyntheticDatasetWriter.cases(g, 3),
                new int[] {16, 16, 16}, new int[] {4, 8, 16}, 2);
        Path out = tmp.resolve("straight");
        Process p = train(out, "straight.log", null, false);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("uninterrupted run finished").isTrue();
        assertThat(p.exitValue()).as(Files.readString(tmp.resolve("straight.log"))).isZero();
        straight = log(out);
        assertThat(straight.get("epochs")).hasSize(EPOCHS);
    }

    @Test
    void killedAfterEpochTwoResumesOnTheUninterruptedTrajectory() throws Exception {
        Path out = tmp.resolve("after-epoch-2");
        KillAtHook.kill(train(out, "after.log", "after=2", false), tmp.resolve("after.log"));
        assertThat(log(out).get("epochs")).as("epochs recorded before the kill").hasSize(2);
        assertThat(out.resolve("fold_all/checkpoint_final.pth")).doesNotExist();

        resumeAndCompare(out, "after");
    }

    @Test
    void killedWhileWritingCheckpointResumesFromThePreviousIntactOne() throws Exception {
        Path out = tmp.resolve("mid-write");
        KillAtHook.kill(train(out, "mid.log", "tear=3", false), tmp.resolve("mid.log"));
        Path fold = out.resolve("fold_all");
        assertThat(temporaries(fold)).as("the torn temporary file the kill left").hasSize(1);
        // checkpoint_latest.pth is still the intact one written after epoch 2.
        assertThat(NnUNetCheckpoint.read(fold.resolve("checkpoint_latest.pth")).currentEpoch()).isEqualTo(2);

        resumeAndCompare(out, "mid");
        assertThat(temporaries(fold)).as("orphaned temporaries are removed on resume").isEmpty();
    }

    private static void resumeAndCompare(Path out, String name) throws Exception {
        Process resumed = train(out, name + "-resume.log", null, true);
        assertThat(resumed.waitFor(120, TimeUnit.SECONDS)).as("resumed run finished").isTrue();
        String text = Files.readString(tmp.resolve(name + "-resume.log"));
        assertThat(resumed.exitValue()).as(text).isZero();
        assertThat(text).contains("resumed from").contains("at epoch 2").contains("completed after 2 epochs this run");
        assertThat(out.resolve("fold_all/checkpoint_final.pth")).isRegularFile();

        JsonNode a = straight.get("epochs");
        JsonNode b = log(out).get("epochs");
        assertThat(b).hasSize(EPOCHS);
        for (int e = 2; e < EPOCHS; e++) {
            double ta = a.get(e).get("train_loss").asDouble();
            double tb = b.get(e).get("train_loss").asDouble();
            double va = a.get(e).get("val_loss").asDouble();
            double vb = b.get(e).get("val_loss").asDouble();
            System.out.printf(Locale.ROOT, "%s: epoch %d train loss %.7f vs uninterrupted %.7f (|diff| %.2e), "
                    + "val loss %.7f vs %.7f (|diff| %.2e)%n", name, e + 1, tb, ta, Math.abs(tb - ta), vb, va, Math.abs(vb - va));
            assertThat(tb).as("epoch %d train loss", e + 1).isCloseTo(ta, within(1e-4));
            assertThat(vb).as("epoch %d val loss", e + 1).isCloseTo(va, within(1e-4));
        }
    }

    /** {@code java -cp <test classpath> io.nnft.cli.Nnft train ...}: the CLI in its own OS process. */
    private static Process train(Path out, String logName, String hook, boolean resume) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dai.djl.offline=true", "-Djava.awt.headless=true"));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), PausingNnft.class.getName(),
                hook == null ? "none" : hook, "train",
                "--preprocessed", data.toString(), "--plans", data.resolve("nnUNetPlans.json").toString(),
                "--configuration", "3d_fullres", "--fold", "all", "--output", out.toString(),
                "--epochs", Integer.toString(EPOCHS), "--iterations-per-epoch", "3", "--validation-iterations", "2",
                "--deterministic", "--threads", "1", "--data-threads", "1", "--no-final-validation", "--no-progress-bar"));
        if (resume) {
            cmd.add("--resume");
        }
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve(logName).toFile()).start();
    }

    private static JsonNode log(Path out) throws IOException {
        return MAPPER.readTree(out.resolve("fold_all/training_log.json").toFile());
    }

    private static List<Path> temporaries(Path fold) throws IOException {
        try (Stream<Path> s = Files.list(fold)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }
}
