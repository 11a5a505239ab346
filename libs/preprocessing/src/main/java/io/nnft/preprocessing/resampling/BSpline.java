package io.nnft.preprocessing.resampling;

/**
 * B-spline interpolation along one line, as scipy.ndimage does it (ni_splines.c / ni_interpolation.c):
 * the prefilter that turns samples into spline coefficients (causal + anticausal recursion per pole,
 * started with scipy's half-sample-symmetric boundary, which scipy also uses for mode 'nearest') and
 * the interpolation weights. Orders 0 to 3 are supported: nnU-Net uses 3 for images, 1 for
 * segmentations and 0 along z.
 */
public final class BSpline {
    /** scipy pads the input by this many edge values before prefiltering in mode 'nearest'. */
    public static final int NEAREST_PREPAD = 12;

    private BSpline() {
    }

    public static void checkOrder(int order) {
        if (order < 0 || order > 3) {
            throw new IllegalArgumentException("spline order must be 0..3 (nnU-Net uses 3, 1 and 0), found " + order);
        }
    }

    /** Poles of the recursive prefilter; empty for orders 0 and 1, which interpolate the samples themselves. */
    static double[] poles(int order) {
        switch (order) {
            case 2:
                return new double[]{Math.sqrt(8.0) - 3.0};
            case 3:
                return new double[]{Math.sqrt(3.0) - 2.0};
            default:
                return new double[0];
        }
    }

    /**
     * In place: the samples of {@code cols} interleaved lines ({@code c[k * cols + b]} is sample k of
     * line b) become spline coefficients. Interleaving lets one pass serve several neighbouring lines
     * of a strided axis with contiguous memory access.
     */
    static void prefilter(double[] c, int len, int cols, double[] poles) {
        if (poles.length == 0 || len == 1) {
            return;
        }
        double gain = 1.0;
        for (double z : poles) {
            gain *= (1.0 - z) * (1.0 - 1.0 / z);
        }
        int total = len * cols;
        for (int i = 0; i < total; i++) {
            c[i] *= gain;
        }
        double[] sum = new double[cols];
        for (double z : poles) {
            initCausalReflect(c, len, cols, z, sum);
            for (int k = 1; k < len; k++) {
                int row = k * cols;
                int prev = row - cols;
                for (int b = 0; b < cols; b++) {
                    c[row + b] += z * c[prev + b];
                }
            }
            int last = (len - 1) * cols;
            double f = z / (z - 1.0);
            for (int b = 0; b < cols; b++) {
                c[last + b] *= f;
            }
            for (int k = len - 2; k >= 0; k--) {
                int row = k * cols;
                int next = row + cols;
                for (int b = 0; b < cols; b++) {
                    c[row + b] = z * (c[next + b] - c[row + b]);
                }
            }
        }
    }

    /** scipy's causal start value for the half-sample-symmetric ('reflect') extension. */
    private static void initCausalReflect(double[] c, int n, int cols, double z, double[] sum) {
        double zn = Math.pow(z, n);
        int lastRow = (n - 1) * cols;
        for (int b = 0; b < cols; b++) {
            sum[b] = c[b] + zn * c[lastRow + b];
        }
        double zi = z;
        for (int i = 1; i < n; i++) {
            int row = i * cols;
            int mirror = (n - 1 - i) * cols;
            for (int b = 0; b < cols; b++) {
                sum[b] += zi * (c[row + b] + zn * c[mirror + b]);
            }
            zi *= z;
            if (zi == 0.0) {
                break;
            }
        }
        double f = z / (1.0 - zn * zn);
        for (int b = 0; b < cols; b++) {
            c[b] = sum[b] * f + c[b];
        }
    }

    /** First coefficient index that contributes at coordinate {@code x}. */
    static int start(double x, int order) {
        return (int) Math.floor((order & 1) == 1 ? x : x + 0.5) - order / 2;
    }

    /** Interpolation weights of the {@code order + 1} coefficients starting at {@link #start}. */
    static void weights(double x, int order, double[] w) {
        x -= Math.floor((order & 1) == 1 ? x : x + 0.5);
        switch (order) {
            case 0:
                break;
            case 1:
                w[0] = 1.0 - x;
                break;
            case 2: {
                w[1] = 0.75 - x * x;
                double y = 0.5 - x;
                w[0] = 0.5 * y * y;
                break;
            }
            case 3: {
                double y = x;
                double z = 1.0 - x;
                w[1] = (y * y * (y - 2.0) * 3.0 + 4.0) / 6.0;
                w[2] = (z * z * (z - 2.0) * 3.0 + 4.0) / 6.0;
                w[0] = z * z * z / 6.0;
                break;
            }
            default:
                throw new IllegalArgumentException("spline order " + order);
        }
        double last = 1.0;
        for (int i = 0; i < order; i++) {
            last -= w[i];
        }
        w[order] = last;
    }
}
