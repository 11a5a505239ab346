package io.nnft.training.augment;

import io.nnft.training.data.Sample;

import java.util.SplittableRandom;

/**
 * ContrastTransform(BGContrast((0.75, 1.25)), preserve_range=True, synchronize_channels=False): per channel
 * (x − mean)·f + mean, clipped to the channel's previous [min, max].
 */
public record Contrast(double lo, double hi) implements Augmentation {
    @Override
    public void apply(Sample s, SplittableRandom r) {
        int v = s.voxels();
        for (int c = 0; c < s.channels; c++) {
            double f = Augmentation.bgContrast(lo, hi, r);
            double sum = 0;
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = c * v; i < (c + 1) * v; i++) {
                sum += s.image[i];
                min = Math.min(min, s.image[i]);
                max = Math.max(max, s.image[i]);
            }
            double mean = sum / v;
            for (int i = c * v; i < (c + 1) * v; i++) {
                float x = (float) ((s.image[i] - mean) * f + mean);
                s.image[i] = Math.min(max, Math.max(min, x));
            }
        }
    }
}
