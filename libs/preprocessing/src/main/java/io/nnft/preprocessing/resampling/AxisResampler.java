package io.nnft.preprocessing.resampling;

import io.nnft.preprocessing.Parallel;

/**
 * Resamples a row-major array along one axis, the way scipy.ndimage.zoom (grid_mode=True) and
 * map_coordinates sample it with mode 'nearest': output index j reads input coordinate
 * {@code (j + 0.5) * n / m - 0.5}, B-spline of the given order, samples prefiltered into coefficients
 * after padding 12 edge values (scipy's prepadding for 'nearest'), indices beyond that clamped.
 * A tensor-product spline is separable, so applying this once per axis gives scipy's n-d result up
 * to rounding. Values are computed in double and stored as float, like nnU-Net's float32 arrays.
 */
public final class AxisResampler {
    /** Neighbouring lines of a strided axis handled together, so memory is read contiguously. */
    private static final int BLOCK = 32;

    private AxisResampler() {
    }

    /**
     * Returns the array resampled to {@code newLen} along {@code axis}; the input itself when the
     * length does not change (interpolating a spline at its own knots returns the samples).
     */
    public static float[] resample(float[] src, int[] shape, int axis, int newLen, int order, Parallel parallel) {
        BSpline.checkOrder(order);
        int n = shape[axis];
        if (n == newLen) {
            return src;
        }
        if (newLen <= 0 || n <= 0) {
            throw new IllegalArgumentException("cannot resample axis " + axis + " from " + n + " to " + newLen);
        }
        int outer = 1;
        for (int a = 0; a < axis; a++) {
            outer *= shape[a];
        }
        int inner = 1;
        for (int a = axis + 1; a < shape.length; a++) {
            inner *= shape[a];
        }
        Taps taps = Taps.of(n, newLen, order);
        float[] dst = new float[Math.multiplyExact(Math.multiplyExact(outer, newLen), inner)];
        // A block is up to BLOCK lines processed together: neighbouring columns of a strided axis, or
        // consecutive rows when the axis is the last one (then each line is contiguous).
        boolean strided = inner > 1;
        int cols = Math.min(BLOCK, strided ? inner : outer);
        int blocksPerOuter = strided ? (inner + cols - 1) / cols : 1;
        int units = strided ? outer * blocksPerOuter : (outer + cols - 1) / cols;
        int m = newLen;
        int fInner = inner;
        int fOuter = outer;
        parallel.forRange(units, (from, to) -> {
            double[] buf = new double[taps.paddedLength * cols];
            double[] acc = new double[cols];
            for (int u = from; u < to; u++) {
                int srcBase;
                int dstBase;
                int width;
                int srcMember;
                int dstMember;
                if (strided) {
                    int o = u / blocksPerOuter;
                    int i0 = (u % blocksPerOuter) * cols;
                    width = Math.min(cols, fInner - i0);
                    srcBase = o * n * fInner + i0;
                    dstBase = o * m * fInner + i0;
                    srcMember = 1;
                    dstMember = 1;
                } else {
                    int o0 = u * cols;
                    width = Math.min(cols, fOuter - o0);
                    srcBase = o0 * n;
                    dstBase = o0 * m;
                    srcMember = n;
                    dstMember = m;
                }
                load(src, srcBase, n, fInner, srcMember, width, cols, taps.pad, buf);
                BSpline.prefilter(buf, taps.paddedLength, cols, taps.poles);
                for (int j = 0; j < m; j++) {
                    java.util.Arrays.fill(acc, 0.0);
                    int tb = j * taps.count;
                    for (int t = 0; t < taps.count; t++) {
                        double w = taps.weight[tb + t];
                        int row = taps.index[tb + t] * cols;
                        for (int b = 0; b < width; b++) {
                            acc[b] += w * buf[row + b];
                        }
                    }
                    int d = dstBase + j * fInner;
                    for (int b = 0; b < width; b++) {
                        dst[d + b * dstMember] = (float) acc[b];
                    }
                }
            }
        });
        return dst;
    }

    /**
     * Copies {@code width} lines (element stride {@code step}, line b starting at base + b * member) into
     * the interleaved buffer, with {@code pad} edge copies on both ends.
     */
    private static void load(float[] src, int base, int n, int step, int member, int width, int cols, int pad,
                             double[] buf) {
        for (int k = 0; k < n; k++) {
            int s = base + k * step;
            int row = (k + pad) * cols;
            for (int b = 0; b < width; b++) {
                buf[row + b] = src[s + b * member];
            }
            for (int b = width; b < cols; b++) {
                buf[row + b] = 0.0;
            }
        }
        int firstRow = pad * cols;
        int lastRow = (pad + n - 1) * cols;
        for (int k = 0; k < pad; k++) {
            System.arraycopy(buf, firstRow, buf, k * cols, cols);
            System.arraycopy(buf, lastRow, buf, (pad + n + k) * cols, cols);
        }
    }

    /** Per output index: which coefficients (already clamped, mode 'nearest') and with what weights. */
    static final class Taps {
        final int count;
        final int pad;
        final int paddedLength;
        final double[] poles;
        final int[] index;
        final double[] weight;

        private Taps(int count, int pad, int paddedLength, double[] poles, int[] index, double[] weight) {
            this.count = count;
            this.pad = pad;
            this.paddedLength = paddedLength;
            this.poles = poles;
            this.index = index;
            this.weight = weight;
        }

        static Taps of(int n, int m, int order) {
            // scipy prepads only when it prefilters (order > 1); orders 0 and 1 clamp indices directly
            int pad = order > 1 ? BSpline.NEAREST_PREPAD : 0;
            int len = n + 2 * pad;
            int count = order + 1;
            double scale = (double) n / (double) m;
            int[] index = new int[m * count];
            double[] weight = new double[m * count];
            double[] w = new double[count];
            for (int j = 0; j < m; j++) {
                double cc = j;
                cc += 0.5;
                cc *= scale;
                cc -= 0.5;
                cc += pad;
                int start = BSpline.start(cc, order);
                BSpline.weights(cc, order, w);
                for (int t = 0; t < count; t++) {
                    index[j * count + t] = Math.max(0, Math.min(len - 1, start + t));
                    weight[j * count + t] = w[t];
                }
            }
            return new Taps(count, pad, len, BSpline.poles(order), index, weight);
        }
    }
}
