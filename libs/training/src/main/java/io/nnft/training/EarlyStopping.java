package io.nnft.training;

/**
 * Stops when the EMA pseudo-Dice has not exceeded its best so far by more than {@code minDelta} for
 * {@code patience} consecutive epochs. Its state is rebuilt from the logged EMA series on resume.
 */
public final class EarlyStopping {
    private final int patience;
    private final double minDelta;
    private double best = Double.NEGATIVE_INFINITY;
    private int epochsWithoutImprovement;

    public EarlyStopping(int patience, double minDelta) {
        if (patience < 1 || minDelta < 0) {
            throw new IllegalArgumentException("early stopping: expected patience >= 1 and minDelta >= 0, found "
                    + patience + " and " + minDelta);
        }
        this.patience = patience;
        this.minDelta = minDelta;
    }

    /** Feeds one epoch's EMA; true when training should stop now. */
    public boolean update(double ema) {
        if (!Double.isNaN(ema) && ema > best + minDelta) {
            best = ema;
            epochsWithoutImprovement = 0;
        } else {
            epochsWithoutImprovement++;
        }
        return epochsWithoutImprovement >= patience;
    }

    public int epochsWithoutImprovement() {
        return epochsWithoutImprovement;
    }

    public int patience() {
        return patience;
    }
}
