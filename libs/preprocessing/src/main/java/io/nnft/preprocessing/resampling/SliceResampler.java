package io.nnft.preprocessing.resampling;

import io.nnft.preprocessing.Parallel;

/**
 * nnU-Net's separate-z path for images with order_z 0, without the intermediate volume: every
 * output slice is the in-plane resize of its nearest input slice (scipy map_coordinates order 0,
 * mode 'nearest'), so each needed input slice is resized once, as its own 2-d image (clipped to its
 * own value range, as skimage does per slice), and copied to the output slices that pick it.
 * Input slices no output picks are never resized.
 */
final class SliceResampler {
    private SliceResampler() {
    }

    static float[] nearestAlongZ(float[] channel, int[] shape, int[] newShape, int order, Parallel parallel) {
        int nz = shape[0];
        int mz = newShape[0];
        int[] sliceShape = {shape[1], shape[2]};
        int[] newSlice = {newShape[1], newShape[2]};
        int inSize = shape[1] * shape[2];
        int outSize = newShape[1] * newShape[2];
        AxisResampler.Taps taps = AxisResampler.Taps.of(nz, mz, 0);
        // source slice of every output slice, and the distinct sources in order
        int[] source = new int[mz];
        int[] distinct = new int[mz];
        int count = 0;
        for (int k = 0; k < mz; k++) {
            source[k] = taps.index[k];
            if (count == 0 || distinct[count - 1] != source[k]) {
                distinct[count++] = source[k];
            }
        }
        float[] out = new float[Math.multiplyExact(mz, outSize)];
        int fCount = count;
        parallel.forRange(fCount, (from, to) -> {
            float[] slice = new float[inSize];
            for (int d = from; d < to; d++) {
                int s = distinct[d];
                System.arraycopy(channel, s * inSize, slice, 0, inSize);
                float[] r = Resize.resize(slice, sliceShape, newSlice, order, Parallel.SEQUENTIAL);
                for (int k = 0; k < mz; k++) {
                    if (source[k] == s) {
                        System.arraycopy(r, 0, out, k * outSize, outSize);
                    }
                }
            }
        });
        return out;
    }
}
