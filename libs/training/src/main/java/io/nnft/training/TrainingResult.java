package io.nnft.training;

import java.nio.file.Path;
import java.util.List;

/**
 * How training ended.
 *
 * @param stopReason          "completed", "early_stopping" or "cancelled"
 * @param metric              the monitored metric under its TrainingProgress name (ema_pseudo_dice,
 *                            balanced_accuracy, auc, val_loss)
 * @param best                its best value (checkpoint_best), NaN if no epoch gave one
 * @param finalValidationDice nnU-Net's "Mean Validation Dice" of the final validation (whole validation cases,
 *                            foreground mean), null when it was not run (classification, cancelled, switched off,
 *                            no references)
 * @param skippedSteps        steps of this run with a non-finite loss or gradient norm, not applied to the weights
 *                            (a run with too many in a row throws {@link TrainingDivergedException} instead)
 */
public record TrainingResult<R extends EpochSummary>(String stopReason, int epochsRun, int lastEpoch, String metric,
                                                     double best, int bestEpoch, List<R> log, Path foldDirectory,
                                                     List<String> classNames, Double finalValidationDice,
                                                     int skippedSteps) {
    public boolean earlyStopped() {
        return stopReason.equals("early_stopping");
    }

    /** The segmentation task's monitored metric. */
    public double bestEma() {
        return best;
    }
}
