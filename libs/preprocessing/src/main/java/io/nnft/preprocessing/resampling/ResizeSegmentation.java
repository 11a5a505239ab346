package io.nnft.preprocessing.resampling;

import io.nnft.preprocessing.Parallel;

/**
 * batchgenerators' resize_segmentation: every label present is resized as a one-hot float image
 * (skimage resize, same order) and written where the result reaches 0.5, labels in ascending order
 * so a higher label wins ties; voxels no label reaches stay 0. Order 0 resizes the label values
 * directly (nearest neighbour).
 */
public final class ResizeSegmentation {
    private ResizeSegmentation() {
    }

    public static short[] resize(short[] seg, int[] shape, int[] newShape, int order, int sliceAxis,
                                 Parallel parallel) {
        if (order == 0) {
            float[] values = new float[seg.length];
            for (int i = 0; i < seg.length; i++) {
                values[i] = seg[i];
            }
            float[] r = Resize.resize(values, shape, newShape, 0, sliceAxis, parallel);
            short[] out = new short[r.length];
            for (int i = 0; i < r.length; i++) {
                out[i] = (short) r[i];
            }
            return out;
        }
        if (order == 1 && shape.length == 3) {
            // a slice axis keeps its length, so its taps are the identity: slices stay independent
            return LinearLabelVote.resize(seg, shape, newShape, new int[]{1, 1, 1}, parallel);
        }
        short[] out = new short[size(newShape)];
        float[] mask = new float[seg.length];
        for (short label : Labels.sortedUnique(seg)) {
            for (int i = 0; i < seg.length; i++) {
                mask[i] = seg[i] == label ? 1f : 0f;
            }
            float[] r = Resize.resize(mask, shape, newShape, order, sliceAxis, parallel);
            for (int i = 0; i < r.length; i++) {
                if (r[i] >= 0.5f) {
                    out[i] = label;
                }
            }
        }
        return out;
    }

    static int size(int[] shape) {
        int n = 1;
        for (int s : shape) {
            n = Math.multiplyExact(n, s);
        }
        return n;
    }
}
