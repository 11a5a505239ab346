package io.nnft.training;

import io.nnft.checkpoint.NnUNetCheckpoint;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checkpoint writer of crash tests: pins the moment a test SIGKILLs a training process, so the test does not
 * depend on timing luck. When it fires, the process prints a line starting with {@link #MARKER} to stdout and then
 * sleeps until it is killed.
 * <ul>
 *   <li>{@code after=N}: after the N-th epoch has been fully recorded (checkpoints and training_log.json
 *   written);</li>
 *   <li>{@code tear=N}: while writing checkpoint_latest.pth with current_epoch N, after half of its temporary sibling
 *   is on disk and before the move that would replace the previous file — what a crash in the middle of an atomic
 *   write leaves behind.</li>
 * </ul>
 */
public final class PausingCheckpointWriter implements CheckpointWriter {
    public static final String MARKER = "nnft test hook: paused";

    private final Integer pauseAfterEpochs;
    private final Integer tearLatestAt;

    private PausingCheckpointWriter(Integer pauseAfterEpochs, Integer tearLatestAt) {
        this.pauseAfterEpochs = pauseAfterEpochs;
        this.tearLatestAt = tearLatestAt;
    }

    /** @param spec {@code after=N}, {@code tear=N} or {@code none} (an ordinary atomic writer) */
    public static CheckpointWriter parse(String spec) {
        if (spec.equals("none")) {
            return ATOMIC;
        }
        String[] kv = spec.split("=", 2);
        int n = Integer.parseInt(kv[1]);
        return switch (kv[0]) {
            case "after" -> new PausingCheckpointWriter(n, null);
            case "tear" -> new PausingCheckpointWriter(null, n);
            default -> throw new IllegalArgumentException("hook: expected after=N, tear=N or none, found " + spec);
        };
    }

    @Override
    public void write(NnUNetCheckpoint c, Path file, int currentEpoch) throws IOException {
        boolean tear = file.getFileName().toString().equals(FoldFolder.LATEST) && tearLatestAt != null
                && tearLatestAt == currentEpoch;
        if (!tear) {
            c.write(file);
            return;
        }
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName() + ".", ".tmp");
        c.write(tmp);
        try (RandomAccessFile f = new RandomAccessFile(tmp.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        pause("writing " + file.getFileName() + " (current_epoch " + currentEpoch + "): " + tmp.getFileName()
                + " half written, not yet moved");
    }

    @Override
    public void epochRecorded(int epochsDone) {
        if (pauseAfterEpochs != null && pauseAfterEpochs == epochsDone) {
            pause("after epoch " + epochsDone);
        }
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
