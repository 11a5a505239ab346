package io.nnft.training.augment;

import io.nnft.training.data.Sample;

import java.util.SplittableRandom;

/**
 * GaussianBlurTransform(blur_sigma=(0.5, 1), synchronize_channels=False, synchronize_axes=False,
 * p_per_channel=0.5): each channel with probability 0.5, one σ per axis, separable Gaussian with
 * batchgeneratorsv2's kernel (blur_dimension's truncate=6: {@link #kernelSize}), normalised, 'reflect' borders.
 */
public record GaussianBlur(double sigmaLo, double sigmaHi, double pPerChannel) implements Augmentation {
    @Override
    public void apply(Sample s, SplittableRandom r) {
        int v = s.voxels();
        for (int c = 0; c < s.channels; c++) {
            if (r.nextDouble() >= pPerChannel) {
                continue;
            }
            for (int axis = 0; axis < 3; axis++) {
                blurAxis(s.image, c * v, s.shape, axis, Augmentation.uniform(sigmaLo, sigmaHi, r));
            }
        }
    }

    /**
     * _compute_kernel_size(σ, truncate=6): 6σ + 0.5 rounded (Python's round, half to even) to the nearest odd
     * integer; an even result moves towards the unrounded value (up when exactly equal).
     */
    public static int kernelSize(double sigma) {
        double n = sigma * 6 + 0.5;
        long rounded = (long) Math.rint(n);
        if (rounded % 2 == 1) {
            return (int) rounded;
        }
        return (int) (n - rounded >= 0 ? rounded + 1 : rounded - 1);
    }

    public static float[] kernel(double sigma) {
        int radius = kernelSize(sigma) / 2;
        float[] k = new float[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            double w = Math.exp(-0.5 * i * i / (sigma * sigma));
            k[i + radius] = (float) w;
            sum += w;
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= (float) sum;
        }
        return k;
    }

    /** Convolves one channel (starting at {@code offset}) along {@code axis} with reflect padding. */
    public static void blurAxis(float[] img, int offset, int[] shape, int axis, double sigma) {
        float[] k = kernel(sigma);
        int radius = k.length / 2;
        int n = shape[axis];
        int stride = axis == 0 ? shape[1] * shape[2] : axis == 1 ? shape[2] : 1;
        int v = shape[0] * shape[1] * shape[2];
        float[] line = new float[n];
        for (int base = 0; base < v; base++) {
            if ((base / stride) % n != 0) {
                continue;
            }
            for (int i = 0; i < n; i++) {
                line[i] = img[offset + base + i * stride];
            }
            for (int i = 0; i < n; i++) {
                float acc = 0;
                for (int t = -radius; t <= radius; t++) {
                    acc += k[t + radius] * line[reflect(i + t, n)];
                }
                img[offset + base + i * stride] = acc;
            }
        }
    }

    /** torch/numpy 'reflect' (edge not repeated): −1 → 1, n → n − 2. */
    static int reflect(int i, int n) {
        if (n == 1) {
            return 0;
        }
        int period = 2 * (n - 1);
        int m = Math.floorMod(i, period);
        return m < n ? m : period - m;
    }
}
