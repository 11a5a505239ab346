package io.nnft.training;

import java.nio.file.Path;
import java.util.List;

/**
 * How training ended.
 *
 * @param stopReason "completed", "early_stopping" or "cancelled"
 */
public record TrainingResult(String stopReason, int epochsRun, int lastEpoch, double bestEma, int bestEpoch,
                             List<EpochRecord> log, Path foldDirectory) {
    public boolean earlyStopped() {
        return stopReason.equals("early_stopping");
    }
}
