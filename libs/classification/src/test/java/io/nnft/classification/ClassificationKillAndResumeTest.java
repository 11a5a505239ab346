package io.nnft.classification;

import io.nnft.checkpoint.NnUNetCheckpoint;
import io.nnft.training.KillAtHook;
import io.nnft.training.TrainingListener;
import io.nnft.training.TrainingResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Crash safety of classifier training, as the segmentation trainer's KillAndResumeTest: SIGKILL a training JVM
 * while it writes checkpoint_latest.pth, resume in a second JVM and SIGKILL that one after epoch 3, then resume to
 * the end in this JVM: every epoch has the losses and balanced accuracy of an uninterrupted run (fixed seed, one
 * libtorch thread), the torn temporary is gone and the AdamW state came back with the weights.
 */
class ClassificationKillAndResumeTest {
    static ClassificationSettings settings() {
        // no dropout: its mask comes from libtorch's generator, which a resume does not restore
        return new ClassificationSettings().epochs(5).iterationsPerEpoch(2).batchSize(2).seed(5L).dataThreads(1)
                .checkpointEvery(1).head(new HeadSettings(HeadSettings.Pooling.AVG, List.of(2), 0, List.of(8)));
    }

    static ClassificationInputs inputs(Path pre, Path out) {
        return ClassificationInputs.of(pre, ClassificationFixtures.demoPlans(), "3d_fullres", "0",
                pre.resolve("classification.csv"), out).withSplitsFile(pre.resolve("splits_final.json"))
                .withPretrained(ClassificationFixtures.DEMO_MODEL);
    }

    @Test
    void killedWhileWritingAndAfterEpochThreeThenResumedMatchesUninterrupted(@TempDir Path tmp) throws Exception {
        Path pre = ClassificationFixtures.preprocessed(tmp.resolve("pre"), 12, 8, 3);
        Path out = tmp.resolve("killed");
        Path fold = out.resolve("fold_0");

        KillAtHook.kill(KillAtHook.start(tmp.resolve("first.log"), ClassificationProcess.class, pre.toString(),
                out.toString(), "fresh", "tear=2"), tmp.resolve("first.log"));
        try (Stream<Path> s = Files.list(fold)) {
            assertThat(s.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith(".tmp"));
        }
        assertThat(NnUNetCheckpoint.read(fold.resolve("checkpoint_latest.pth")).currentEpoch())
                .as("checkpoint_latest.pth is still the intact one of epoch 1").isEqualTo(1);
        KillAtHook.kill(KillAtHook.start(tmp.resolve("second.log"), ClassificationProcess.class, pre.toString(),
                out.toString(), "resume", "after=3"), tmp.resolve("second.log"));
        assertThat(Files.readString(tmp.resolve("second.log"))).doesNotContain("Exception");
        assertThat(fold.resolve("checkpoint_final.pth")).doesNotExist();

        TrainingResult<ClassificationEpochRecord> resumed = ClassificationTask.train(
                inputs(pre, out).withResume(true), settings(), TrainingListener.NONE);
        TrainingResult<ClassificationEpochRecord> straight = ClassificationTask.train(
                inputs(pre, tmp.resolve("straight")), settings(), TrainingListener.NONE);
        List<ClassificationEpochRecord> a = straight.log();
        List<ClassificationEpochRecord> b = resumed.log();
        assertThat(b).hasSize(5);
        assertThat(resumed.epochsRun()).isEqualTo(2);
        for (int e = 0; e < 5; e++) {
            System.out.printf("epoch %d: uninterrupted %.7f / %.7f, killed+resumed %.7f / %.7f%n", e,
                    a.get(e).trainLoss(), a.get(e).valLoss(), b.get(e).trainLoss(), b.get(e).valLoss());
            assertThat(b.get(e).trainLoss()).isCloseTo(a.get(e).trainLoss(), within(1e-4));
            assertThat(b.get(e).valLoss()).isCloseTo(a.get(e).valLoss(), within(1e-4));
            assertThat(b.get(e).balancedAccuracy()).isEqualTo(a.get(e).balancedAccuracy());
        }
        try (Stream<Path> s = Files.list(fold)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }
}
