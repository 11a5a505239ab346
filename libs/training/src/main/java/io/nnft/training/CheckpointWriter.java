package io.nnft.training;

import io.nnft.checkpoint.NnUNetCheckpoint;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where the loop's checkpoints and epoch ends go through: production writes each checkpoint atomically
 * ({@link #ATOMIC}); crash tests replace it to stop a process at a chosen moment (after an epoch, in the middle of a
 * checkpoint write) and kill it there.
 */
public interface CheckpointWriter {
    CheckpointWriter ATOMIC = (checkpoint, file, currentEpoch) -> checkpoint.write(file);

    /** Writes {@code checkpoint} (with current_epoch {@code currentEpoch}) to {@code file}. */
    void write(NnUNetCheckpoint checkpoint, Path file, int currentEpoch) throws IOException;

    /** After the epoch's checkpoints, training_log.json and progress.png are written. */
    default void epochRecorded(int epochsDone) {
    }
}
