package io.nnft.training.augment;

import io.nnft.training.data.Sample;

import java.util.SplittableRandom;

/**
 * GammaTransform(gamma=BGContrast((0.7, 1.5)), p_invert_image, synchronize_channels=False, p_per_channel=1,
 * p_retain_stats=1): per channel (optionally on −x) rescale to [0, 1], raise to γ, scale back, then restore
 * the channel's mean and (unbiased) standard deviation.
 */
public record Gamma(double lo, double hi, boolean invert) implements Augmentation {
    @Override
    public void apply(Sample s, SplittableRandom r) {
        int v = s.voxels();
        for (int c = 0; c < s.channels; c++) {
            double gamma = Augmentation.bgContrast(lo, hi, r);
            int from = c * v;
            int to = from + v;
            if (invert) {
                negate(s.image, from, to);
            }
            double[] ms = meanStd(s.image, from, to);
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = from; i < to; i++) {
                min = Math.min(min, s.image[i]);
                max = Math.max(max, s.image[i]);
            }
            double range = Math.max(max - min, 1e-7);
            for (int i = from; i < to; i++) {
                s.image[i] = (float) (Math.pow((s.image[i] - min) / range, gamma) * range + min);
            }
            double[] now = meanStd(s.image, from, to);
            double k = ms[1] / Math.max(now[1], 1e-7);
            for (int i = from; i < to; i++) {
                s.image[i] = (float) ((s.image[i] - now[0]) * k + ms[0]);
            }
            if (invert) {
                negate(s.image, from, to);
            }
        }
    }

    private static void negate(float[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            a[i] = -a[i];
        }
    }

    static double[] meanStd(float[] a, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += a[i];
        }
        double mean = sum / (to - from);
        double sq = 0;
        for (int i = from; i < to; i++) {
            sq += (a[i] - mean) * (a[i] - mean);
        }
        return new double[] {mean, Math.sqrt(sq / Math.max(1, to - from - 1))};
    }
}
