package io.nnft.training;

import java.nio.file.Path;
import java.util.List;

/**
 * How training ended.
 *
 * @param stopReason          "completed", "early_stopping" or "cancelled"
 * @param finalValidationDice nnU-Net's "Mean Validation Dice" of the final validation (whole validation cases,
 *                            foreground mean), null when it was not run (cancelled, switched off, no references)
 * @param skippedSteps        steps of this run with a non-finite loss or gradient norm, not applied to the weights
 *                            (a run with too many in a row throws {@link TrainingDivergedException} instead)
 */
public record TrainingResult(String stopReason, int epochsRun, int lastEpoch, double bestEma, int bestEpoch,
                             List<EpochRecord> log, Path foldDirectory, Double finalValidationDice, int skippedSteps) {
    public boolean earlyStopped() {
        return stopReason.equals("early_stopping");
    }
}
