package io.nnft.training;

import io.nnft.training.synth.SyntheticTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * SIGKILL a training JVM while it writes a checkpoint, resume it in a second JVM and SIGKILL that one after
 * epoch 2, then resume to the end: every epoch has the losses of an uninterrupted run (deterministic mode,
 * same thread count).
 */
class KillAndResumeTest {
    static TrainingSettings settings() {
        return SyntheticFolders.small(5, 4).checkpointEvery(1);
    }

    private static Process child(Path tmp, Path data, Path out, boolean resume, String log) throws IOException {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dai.djl.pytorch.num_threads=1",
                "-Dai.djl.pytorch.num_interop_threads=1", "-Dai.djl.offline=true", "-Djava.awt.headless=true",
                TrainingProcess.class.getName(), data.toString(), out.toString(), resume ? "resume" : "fresh")
                .redirectErrorStream(true).redirectOutput(tmp.resolve(log).toFile()).start();
    }

    private static boolean logged(Path out, int epoch) throws IOException {
        Path log = out.resolve("fold_all/training_log.json");
        return Files.isRegularFile(log) && Files.readString(log).contains("\"epoch\" : " + epoch + ",");
    }

    private static boolean writingCheckpoint(Path out) throws IOException {
        Path dir = out.resolve("fold_all");
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().startsWith(".checkpoint_latest.pth"));
        }
    }

    @Test
    void killedWhileWritingAndAfterEpochTwoThenResumedMatchesUninterrupted(@TempDir Path tmp) throws Exception {
        Path data = SyntheticFolders.write(tmp.resolve("pre"), SyntheticTask.A, 3, 5, SyntheticFolders.SLIM);
        Path out = tmp.resolve("killed");

        Process first = child(tmp, data, out, false, "first.log");
        boolean caughtWriting = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (System.nanoTime() < deadline && first.isAlive()) {
            if (logged(out, 0) && writingCheckpoint(out)) {
                caughtWriting = true;
                break;
            }
            if (logged(out, 3)) {
                break; // never caught it mid-write: kill anyway, the rest of the test still holds
            }
            Thread.sleep(1);
        }
        assertThat(first.isAlive()).as(Files.readString(tmp.resolve("first.log"))).isTrue();
        first.destroyForcibly();
        first.waitFor(30, TimeUnit.SECONDS);
        System.out.println("first kill " + (caughtWriting ? "while checkpoint_latest was being written" : "between writes"));

        Process second = child(tmp, data, out, true, "second.log");
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (System.nanoTime() < deadline && second.isAlive() && !logged(out, 2)) {
            Thread.sleep(10);
        }
        assertThat(second.isAlive()).as(Files.readString(tmp.resolve("second.log"))).isTrue();
        second.destroyForcibly();
        second.waitFor(30, TimeUnit.SECONDS);
        assertThat(out.resolve("fold_all/checkpoint_final.pth")).doesNotExist();

        TrainingResult resumed = Trainer.train(SyntheticFolders.inputs(data, out, "all").withResume(true), settings(),
                TrainingListener.NONE);
        TrainingResult straight = Trainer.train(SyntheticFolders.inputs(data, tmp.resolve("straight"), "all"), settings(),
                TrainingListener.NONE);
        List<EpochRecord> a = straight.log();
        List<EpochRecord> b = resumed.log();
        assertThat(b).hasSize(5);
        assertThat(resumed.epochsRun()).isBetween(1, 2);
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
