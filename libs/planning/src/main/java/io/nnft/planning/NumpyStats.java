package io.nnft.planning;

import java.util.Arrays;

/**
 * The few numpy reductions the planner and fingerprint rely on, with numpy's exact floating point
 * steps (numpy 1.24): planner decisions hinge on them (a median of x.5 rounds one way or the other).
 */
public final class NumpyStats {
    private NumpyStats() {
    }

    /** {@code np.median}: the middle value, or the mean of the two middle values ({@code (a + b) / 2}). */
    public static double median(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("median of an empty list");
        }
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        if (n % 2 == 1) {
            return s[n / 2];
        }
        return (s[n / 2 - 1] + s[n / 2]) / 2.0;
    }

    /** Column-wise {@code np.median(rows, 0)}. */
    public static double[] medianColumns(double[][] rows) {
        return reduceColumns(rows, false, 0);
    }

    /** Column-wise {@code np.percentile(rows, q, 0)} (linear). */
    public static double[] percentileColumns(double[][] rows, double q) {
        return reduceColumns(rows, true, q);
    }

    private static double[] reduceColumns(double[][] rows, boolean percentile, double q) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("statistics over zero rows");
        }
        int d = rows[0].length;
        double[] out = new double[d];
        for (int j = 0; j < d; j++) {
            double[] col = new double[rows.length];
            for (int i = 0; i < rows.length; i++) {
                if (rows[i].length != d) {
                    throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " entries, expected " + d);
                }
                col[i] = rows[i][j];
            }
            out[j] = percentile ? percentile(col, q) : median(col);
        }
        return out;
    }

    /**
     * {@code np.percentile(values, q)} with the default linear method, computed the way numpy 1.24 does
     * (virtual index {@code (n - 1) * q}, lerp from the upper neighbour when the fraction is >= 0.5).
     */
    public static double percentile(double[] values, double q) {
        if (values.length == 0) {
            throw new IllegalArgumentException("percentile of an empty list");
        }
        double[] s = values.clone();
        Arrays.sort(s);
        return percentileOfSorted(s, q);
    }

    /** As {@link #percentile} for an already sorted array (not copied). */
    public static double percentileOfSorted(double[] s, double q) {
        int n = s.length;
        double virtual = (n - 1) * (q / 100.0);
        if (virtual >= n - 1) {
            return s[n - 1];
        }
        if (virtual <= 0) {
            return s[0];
        }
        double prevIdx = Math.floor(virtual);
        int prev = (int) prevIdx;
        double a = s[prev];
        double b = s[prev + 1];
        double t = virtual - prevIdx;
        double diff = b - a;
        if (t >= 0.5) {
            return b - diff * (1 - t);
        }
        return a + diff * t;
    }

    /** Python's {@code round()} / numpy's rint: half to even. */
    public static long roundHalfEven(double v) {
        return (long) Math.rint(v);
    }

    /** {@code np.prod} of doubles, left to right. */
    public static double prod(double[] v) {
        double p = 1;
        for (double x : v) {
            p *= x;
        }
        return p;
    }

    public static double prod(int[] v) {
        double p = 1;
        for (int x : v) {
            p *= x;
        }
        return p;
    }
}
