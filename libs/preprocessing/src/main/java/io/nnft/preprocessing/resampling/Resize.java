package io.nnft.preprocessing.resampling;

import io.nnft.preprocessing.Parallel;

/**
 * skimage.transform.resize(image, new_shape, order, mode='edge', anti_aliasing=False, clip=True) as
 * skimage 0.19 runs it: scipy.ndimage.zoom with grid_mode=True and mode 'nearest', then the result
 * clipped to the input's value range. Optionally only some axes are resized and the clip range is
 * taken per slice of another axis: that is nnU-Net's separate-z path, which resizes every slice
 * along the low-resolution axis as its own 2-d image.
 */
public final class Resize {
    private Resize() {
    }

    /** Resizes every axis of {@code src} (shape {@code shape}) to {@code newShape}. */
    public static float[] resize(float[] src, int[] shape, int[] newShape, int order, Parallel parallel) {
        return resize(src, shape, newShape, order, -1, parallel);
    }

    /**
     * Resizes the axes of {@code src} to {@code newShape}; when {@code sliceAxis >= 0} that axis must
     * keep its length and every slice along it is clipped to its own value range, as if resized alone.
     */
    public static float[] resize(float[] src, int[] shape, int[] newShape, int order, int sliceAxis,
                                 Parallel parallel) {
        if (shape.length != newShape.length) {
            throw new IllegalArgumentException("new shape has " + newShape.length + " axes, the image " + shape.length);
        }
        if (sliceAxis >= 0 && shape[sliceAxis] != newShape[sliceAxis]) {
            throw new IllegalArgumentException("slice axis " + sliceAxis + " cannot change length");
        }
        float[][] range = valueRange(src, shape, sliceAxis);
        // a separable operator: shrinking axes first keeps the intermediate arrays small
        Integer[] axes = new Integer[shape.length];
        for (int a = 0; a < axes.length; a++) {
            axes[a] = a;
        }
        java.util.Arrays.sort(axes, (p, q) -> Double.compare(
                (double) newShape[p] / shape[p], (double) newShape[q] / shape[q]));
        float[] cur = src;
        src = null; // after the first pass nothing here holds the input any more
        boolean resized = false;
        int[] curShape = shape.clone();
        for (int a : axes) {
            if (a == sliceAxis) {
                continue;
            }
            if (curShape[a] != newShape[a]) {
                cur = AxisResampler.resample(cur, curShape, a, newShape[a], order, parallel);
                curShape[a] = newShape[a];
                resized = true;
            }
        }
        if (!resized) {
            cur = cur.clone();
        }
        clip(cur, newShape, sliceAxis, range);
        return cur;
    }

    /** Min and max of the whole array, or of every slice along {@code sliceAxis}: {@code [min[], max[]]}. */
    static float[][] valueRange(float[] a, int[] shape, int sliceAxis) {
        int slices = sliceAxis >= 0 ? shape[sliceAxis] : 1;
        int inner = innerSize(shape, sliceAxis);
        int outer = a.length / (slices * inner);
        float[] min = new float[slices];
        float[] max = new float[slices];
        java.util.Arrays.fill(min, Float.POSITIVE_INFINITY);
        java.util.Arrays.fill(max, Float.NEGATIVE_INFINITY);
        for (int o = 0; o < outer; o++) {
            for (int s = 0; s < slices; s++) {
                int base = (o * slices + s) * inner;
                float lo = min[s];
                float hi = max[s];
                for (int i = base; i < base + inner; i++) {
                    float v = a[i];
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
                min[s] = lo;
                max[s] = hi;
            }
        }
        return new float[][]{min, max};
    }

    private static void clip(float[] a, int[] shape, int sliceAxis, float[][] range) {
        int slices = range[0].length;
        int inner = innerSize(shape, sliceAxis);
        int outer = a.length / (slices * inner);
        for (int o = 0; o < outer; o++) {
            for (int s = 0; s < slices; s++) {
                int base = (o * slices + s) * inner;
                float lo = range[0][s];
                float hi = range[1][s];
                for (int i = base; i < base + inner; i++) {
                    a[i] = Math.min(Math.max(a[i], lo), hi);
                }
            }
        }
    }

    private static int innerSize(int[] shape, int axis) {
        if (axis < 0) {
            // one range for everything: treat the array as a single slice
            int n = 1;
            for (int s : shape) {
                n *= s;
            }
            return n;
        }
        int inner = 1;
        for (int a = axis + 1; a < shape.length; a++) {
            inner *= shape[a];
        }
        return inner;
    }
}
