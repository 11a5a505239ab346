package io.nnft.training;

/**
 * Decides when a run has diverged, for both trainers. A step with a non-finite loss or gradient norm was not
 * applied to the weights (the step skipped it, as PyTorch's GradScaler does): one such step is a transient
 * (a bad batch, an overflow) and training goes on, {@code maxSkippedSteps} of them in a row mean the weights
 * cannot recover and the run stops. An epoch's mean train loss or validation loss that is not finite stops it
 * at once. Pseudo-Dice, accuracy and AUC are not checked: they are NaN legitimately (a class absent from every
 * validation patch, a single class among the validation cases), and the losses already catch a broken model.
 */
public final class DivergenceGuard {
    private final int maxSkippedSteps;
    private int consecutive;
    private int skipped;

    public DivergenceGuard(int maxSkippedSteps) {
        if (maxSkippedSteps < 1) {
            throw new IllegalArgumentException("max skipped steps: expected >= 1, found " + maxSkippedSteps);
        }
        this.maxSkippedSteps = maxSkippedSteps;
    }

    /**
     * Records one step.
     *
     * @return true when it was applied; false when it was skipped (and fewer than the limit were skipped in a row)
     * @throws TrainingDivergedException on the {@code maxSkippedSteps}-th skipped step in a row
     */
    public boolean step(int epoch, int iteration, float loss, float gradNorm, boolean applied) {
        if (applied) {
            consecutive = 0;
            return true;
        }
        consecutive++;
        skipped++;
        if (consecutive >= maxSkippedSteps) {
            throw Float.isFinite(loss) ? new TrainingDivergedException(epoch, iteration, "grad norm", gradNorm)
                    : new TrainingDivergedException(epoch, iteration, "loss", loss);
        }
        return false;
    }

    /** The log line of a skipped step (both trainers say it the same way). */
    public String skippedMessage(int epoch, int iteration, float loss, float gradNorm) {
        return "epoch " + epoch + ", iteration " + iteration + ": loss " + loss + ", grad norm " + gradNorm
                + ": step skipped, weights unchanged (" + consecutive + " in a row, the run stops at " + maxSkippedSteps
                + ")";
    }

    /** @throws TrainingDivergedException when {@code value} (an epoch's mean loss) is not finite */
    public static void checkEpoch(int epoch, int lastIteration, String what, double value) {
        if (!Double.isFinite(value)) {
            throw new TrainingDivergedException(epoch, lastIteration, what, value);
        }
    }

    /** Steps skipped so far in this run. */
    public int skippedSteps() {
        return skipped;
    }

    /** Skipped steps in a row right now. */
    public int consecutiveSkipped() {
        return consecutive;
    }

    public int maxSkippedSteps() {
        return maxSkippedSteps;
    }
}
