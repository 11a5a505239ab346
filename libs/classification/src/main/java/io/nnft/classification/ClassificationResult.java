package io.nnft.classification;

import java.nio.file.Path;
import java.util.List;

/**
 * How classification training ended.
 *
 * @param stopReason "completed", "early_stopping" or "cancelled"
 * @param bestMetric the best value of {@code metric} (checkpoint_best), NaN if no epoch ran
 * @param skippedSteps steps with a non-finite loss or gradient norm, not applied (see io.nnft.training.DivergenceGuard)
 */
public record ClassificationResult(String stopReason, int epochsRun, int lastEpoch, ClassificationMetric metric,
                                   double bestMetric, int bestEpoch, List<ClassificationEpochRecord> log,
                                   Path foldDirectory, List<String> classNames, int skippedSteps) {
    public boolean earlyStopped() {
        return stopReason.equals("early_stopping");
    }
}
