package io.nnft.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The crash tests' processes: a training main in its own JVM (this test classpath, one libtorch thread so every
 * run uses the same kernels), SIGKILLed once it reports the {@link PausingCheckpointWriter} hook it paused at.
 */
public final class KillAtHook {
    private KillAtHook() {
    }

    /** {@code java -cp <test classpath> main args...}, stdout and stderr to {@code log}. */
    public static Process start(Path log, Class<?> main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dai.djl.pytorch.num_threads=1",
                "-Dai.djl.pytorch.num_interop_threads=1", "-Dai.djl.offline=true", "-Djava.awt.headless=true",
                main.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Waits (at most 2 min) until the process says it paused at its hook, then SIGKILLs it. */
    public static void kill(Process p, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.readString(log).contains(PausingCheckpointWriter.MARKER)) {
            assertThat(p.isAlive()).as("process ended before its kill point: " + Files.readString(log)).isTrue();
            assertThat(System.nanoTime()).as("kill point not reached in time").isLessThan(deadline);
            Thread.sleep(10);
        }
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("killed by SIGKILL (128 + 9)").isEqualTo(137);
    }
}
