package io.nnft.training.augment;

import io.nnft.training.data.Sample;

import java.util.SplittableRandom;

/**
 * GaussianNoiseTransform(noise_variance=(0, 0.1), p_per_channel=1, synchronize_channels=True): one σ drawn
 * uniformly from the range (batchgeneratorsv2 uses the "variance" bounds as the standard deviation) and, being
 * synchronised, one N(0, σ²) field that is added to every channel alike.
 */
public record GaussianNoise(double maxSigma) implements Augmentation {
    @Override
    public void apply(Sample s, SplittableRandom r) {
        double sigma = Augmentation.uniform(0, maxSigma, r);
        SplittableRandom g = r.split();
        int v = s.voxels();
        float[] img = s.image;
        // Box–Muller, two normal deviates per pair of uniforms (java.util.Random's synchronised generator is 5× slower).
        for (int i = 0; i < v; i += 2) {
            double u1 = 1 - g.nextDouble();
            double radius = Math.sqrt(-2 * Math.log(u1)) * sigma;
            double angle = 2 * Math.PI * g.nextDouble();
            float n0 = (float) (radius * Math.cos(angle));
            float n1 = (float) (radius * Math.sin(angle));
            for (int c = 0; c < s.channels; c++) {
                img[c * v + i] += n0;
                if (i + 1 < v) {
                    img[c * v + i + 1] += n1;
                }
            }
        }
    }
}
