package io.nnft.training;

/**
 * nnU-Net's validation pseudo-Dice: tp/fp/fn per foreground class summed over every validation batch, then
 * 2tp / (2tp + fp + fn) per class (NaN when a class never appears in prediction or target) and their nanmean.
 */
public final class PseudoDice {
    private final long[] tp;
    private final long[] fp;
    private final long[] fn;

    /** @param numClasses including background */
    public PseudoDice(int numClasses) {
        tp = new long[numClasses - 1];
        fp = new long[numClasses - 1];
        fn = new long[numClasses - 1];
    }

    /** Adds one batch: predicted and true labels of the same voxels. */
    public void add(int[] predicted, int[] target) {
        if (predicted.length != target.length) {
            throw new IllegalArgumentException("pseudo-Dice: " + predicted.length + " predictions for " + target.length
                    + " targets");
        }
        for (int i = 0; i < predicted.length; i++) {
            int p = predicted[i];
            int t = target[i];
            if (p == t) {
                if (p > 0) {
                    tp[p - 1]++;
                }
            } else {
                if (p > 0) {
                    fp[p - 1]++;
                }
                if (t > 0 && t <= fn.length) {
                    fn[t - 1]++;
                }
            }
        }
    }

    public double[] perClass() {
        double[] d = new double[tp.length];
        for (int c = 0; c < d.length; c++) {
            long denom = 2 * tp[c] + fp[c] + fn[c];
            d[c] = denom == 0 ? Double.NaN : 2.0 * tp[c] / denom;
        }
        return d;
    }

    /** numpy.nanmean of the per-class values (NaN if all are NaN). */
    public static double nanMean(double[] values) {
        double sum = 0;
        int n = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /**
     * nnU-Net's logger: the first epoch's value, then 0.9 · previous + 0.1 · current. A NaN current value (no
     * foreground class in any validation patch nor prediction) leaves the EMA where it was, and a NaN previous one
     * starts it afresh: nnU-Net would carry the NaN forever, and a NaN must never stand in for a score.
     */
    public static double ema(Double previous, double current) {
        if (previous == null || Double.isNaN(previous)) {
            return current;
        }
        return Double.isNaN(current) ? previous : 0.9 * previous + 0.1 * current;
    }
}
