package io.nnft.training.augment;

import io.nnft.training.data.Sample;

import java.util.SplittableRandom;

/**
 * GaussianNoiseTransform(noise_variance=(0, 0.1), p_per_channel=1, synchronize_channels=True): one σ drawn
 * uniformly from the range (batchgeneratorsv2 uses the "variance" bounds as the standard deviation) for all
 * channels, then independent N(0, σ²) per voxel.
 */
public record GaussianNoise(double maxSigma) implements Augmentation {
    @Override
    public void apply(Sample s, SplittableRandom r) {
        double sigma = Augmentation.uniform(0, maxSigma, r);
        SplittableRandom g = r.split();
        float[] img = s.image;
        // Box–Muller, two normal deviates per pair of uniforms (java.util.Random's synchronised generator is 5× slower).
        for (int i = 0; i < img.length; i += 2) {
            double u1 = 1 - g.nextDouble();
            double radius = Math.sqrt(-2 * Math.log(u1)) * sigma;
            double angle = 2 * Math.PI * g.nextDouble();
            img[i] += (float) (radius * Math.cos(angle));
            if (i + 1 < img.length) {
                img[i + 1] += (float) (radius * Math.sin(angle));
            }
        }
    }
}
