package io.nnft.training;

import io.nnft.checkpoint.NnUNetCheckpoint;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Test hooks that pin the moment a kill test SIGKILLs a training process, so the test does not depend on timing
 * luck. Both are off unless their system property is set; when one fires the process prints a line starting
 * with {@link #MARKER} to stdout and then sleeps until it is killed.
 * <ul>
 *   <li>{@value #PAUSE_AFTER_EPOCHS}=N: after the N-th epoch has been fully recorded (checkpoints and
 *   training_log.json written).</li>
 *   <li>{@value #PAUSE_BEFORE_CHECKPOINT_MOVE}=N: while writing checkpoint_latest.pth with current_epoch N, after
 *   half of its temporary sibling is on disk and before the move that would replace the previous file — what
 *   a crash in the middle of an atomic write leaves behind.</li>
 * </ul>
 */
public final class KillTestHooks {
    public static final String PAUSE_AFTER_EPOCHS = "nnft.test.pauseAfterEpochs";
    public static final String PAUSE_BEFORE_CHECKPOINT_MOVE = "nnft.test.pauseBeforeCheckpointMove";
    public static final String MARKER = "nnft test hook: paused";

    private KillTestHooks() {
    }

    static void afterEpoch(int epochsDone) {
        if (Integer.toString(epochsDone).equals(System.getProperty(PAUSE_AFTER_EPOCHS))) {
            pause("after epoch " + epochsDone);
        }
    }

    /** Writes {@code c} to {@code file}, unless the hook asks for a torn write of this one (then never returns). */
    static void write(NnUNetCheckpoint c, Path file, int currentEpoch) throws IOException {
        boolean tear = file.getFileName().toString().equals("checkpoint_latest.pth")
                && Integer.toString(currentEpoch).equals(System.getProperty(PAUSE_BEFORE_CHECKPOINT_MOVE));
        if (!tear) {
            c.write(file);
            return;
        }
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
        c.write(tmp);
        try (RandomAccessFile f = new RandomAccessFile(tmp.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        pause("writing " + file.getFileName() + " (current_epoch " + currentEpoch + "): " + tmp.getFileName()
                + " half written, not yet moved");
    }

    private static void pause(String where) {
        System.out.println(MARKER + " " + where);
        System.out.flush();
        while (true) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                // keep waiting for the SIGKILL
            }
        }
    }
}
