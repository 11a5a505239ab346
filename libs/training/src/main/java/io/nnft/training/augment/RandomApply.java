package io.nnft.training.augment;

import io.nnft.training.data.Sample;

import java.util.SplittableRandom;

/** batchgeneratorsv2's RandomTransform: applies the inner transform to a sample with probability p. */
public record RandomApply(Augmentation inner, double probability) implements Augmentation {
    @Override
    public void apply(Sample sample, SplittableRandom random) {
        if (random.nextDouble() < probability) {
            inner.apply(sample, random);
        }
    }
}
