package io.nnft.training;

import java.util.Locale;

/**
 * Training went to NaN or infinity: too many consecutive steps with a non-finite loss or gradient norm, or an
 * epoch whose mean train loss or validation loss is not finite. A diverged run is an error, never "completed":
 * the trainer writes no checkpoint_final.pth and leaves checkpoint_latest.pth at the last finished good epoch,
 * so the run can be resumed (with other settings) from there.
 *
 * <p>The message is always {@code training diverged at epoch E, iteration I: <what> <value>}, e.g. {@code loss
 * NaN}, {@code grad norm Infinity}, {@code validation loss NaN}. For an epoch's value, I is the epoch's last
 * training iteration (validation ran on the weights after it).
 */
public final class TrainingDivergedException extends RuntimeException {
    private final int epoch;
    private final int iteration;

    public TrainingDivergedException(int epoch, int iteration, String what, double value) {
        super(String.format(Locale.ROOT, "training diverged at epoch %d, iteration %d: %s %s", epoch, iteration, what,
                value));
        this.epoch = epoch;
        this.iteration = iteration;
    }

    public int epoch() {
        return epoch;
    }

    public int iteration() {
        return iteration;
    }
}
