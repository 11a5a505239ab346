package io.nnft.training;

import io.nnft.checkpoint.NnUNetCheckpoint;
import io.nnft.imageio.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A trainer's {@code fold_F/} folder at start: created, cleared of the temporaries a killed run left, and with
 * {@code --resume} its checkpoint_latest.pth read (the segmentation and the classification trainer alike).
 */
public final class FoldFolder {
    public static final String LATEST = "checkpoint_latest.pth";

    private FoldFolder() {
    }

    /** @return checkpoint_latest.pth when {@code resume}, else null */
    public static NnUNetCheckpoint prepare(Path foldDir, boolean resume) throws IOException {
        Path latest = foldDir.resolve(LATEST);
        Files.createDirectories(foldDir);
        AtomicFiles.removeOrphanedTemporaries(foldDir);
        if (!resume) {
            return null;
        }
        if (!Files.isRegularFile(latest)) {
            throw new IllegalArgumentException("--resume: expected " + latest + ", found no such file");
        }
        try {
            return NnUNetCheckpoint.read(latest);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("--resume: " + latest + " is not a readable checkpoint (corrupt or "
                    + "truncated?): " + e.getMessage(), e);
        }
    }
}
