package io.nnft.training;

import io.nnft.training.synth.SyntheticTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * SIGKILL a training JVM while it writes a checkpoint, resume it in a second JVM and SIGKILL that one after
 * epoch 3, then resume to the end: every epoch has the losses of an uninterrupted run (deterministic mode,
 * same thread count). The kill moments are pinned by {@link PausingCheckpointWriter}; the CLI-level proof is
 * cli's TrainKillResumeTest.
 */
class KillAndResumeTest {
    static TrainingSettings settings() {
        return SyntheticFolders.small(5, 4).checkpointEvery(1);
    }

    @Test
    void killedWhileWritingAndAfterEpochThreeThenResumedMatchesUninterrupted(@TempDir Path tmp) throws Exception {
        Path data = SyntheticFolders.write(tmp.resolve("pre"), SyntheticTask.A, 3, 5, SyntheticFolders.SLIM);
        Path out = tmp.resolve("killed");

        KillAtHook.kill(KillAtHook.start(tmp.resolve("first.log"), TrainingProcess.class, data.toString(), out.toString(),
                "fresh", "tear=2"), tmp.resolve("first.log"));
        try (Stream<Path> s = Files.list(out.resolve("fold_all"))) {
            assertThat(s.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith(".tmp"));
        }
        KillAtHook.kill(KillAtHook.start(tmp.resolve("second.log"), TrainingProcess.class, data.toString(), out.toString(),
                "resume", "after=3"), tmp.resolve("second.log"));
        assertThat(Files.readString(tmp.resolve("second.log"))).doesNotContain("Exception");
        assertThat(out.resolve("fold_all/checkpoint_final.pth")).doesNotExist();

        TrainingResult<EpochRecord> resumed = Trainer.train(SyntheticFolders.inputs(data, out, "all").withResume(true), settings(),
                TrainingListener.NONE);
        TrainingResult<EpochRecord> straight = Trainer.train(SyntheticFolders.inputs(data, tmp.resolve("straight"), "all"), settings(),
                TrainingListener.NONE);
        List<EpochRecord> a = straight.log();
        List<EpochRecord> b = resumed.log();
        assertThat(b).hasSize(5);
        assertThat(resumed.epochsRun()).isEqualTo(2);
        for (int e = 0; e < 5; e++) {
            System.out.printf("epoch %d: uninterrupted %.7f / %.7f, killed+resumed %.7f / %.7f%n", e, a.get(e).trainLoss(),
                    a.get(e).valLoss(), b.get(e).trainLoss(), b.get(e).valLoss());
            assertThat(b.get(e).trainLoss()).isCloseTo(a.get(e).trainLoss(), within(1e-4));
            assertThat(b.get(e).valLoss()).isCloseTo(a.get(e).valLoss(), within(1e-4));
        }
        try (Stream<Path> s = Files.list(out.resolve("fold_all"))) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }
}
