package io.nnft.training.augment;

import io.nnft.training.data.Sample;

import java.util.SplittableRandom;

/** One of nnU-Net's training transforms, applied to a sample in place with the given random stream. */
public interface Augmentation {
    void apply(Sample sample, SplittableRandom random);

    /** batchgeneratorsv2's BGContrast sampling: half the time below 1 (if the range reaches below), else above. */
    static double bgContrast(double lo, double hi, SplittableRandom r) {
        if (r.nextDouble() < 0.5 && lo < 1) {
            return uniform(lo, 1, r);
        }
        return uniform(Math.max(lo, 1), hi, r);
    }

    static double uniform(double lo, double hi, SplittableRandom r) {
        return lo + (hi - lo) * r.nextDouble();
    }
}
