package io.nnft.training.augment;

import io.nnft.training.data.Sample;

import java.util.SplittableRandom;

/** MultiplicativeBrightnessTransform(BGContrast((0.75, 1.25)), synchronize_channels=False): x · m per channel. */
public record MultiplicativeBrightness(double lo, double hi) implements Augmentation {
    @Override
    public void apply(Sample s, SplittableRandom r) {
        int v = s.voxels();
        for (int c = 0; c < s.channels; c++) {
            float m = (float) Augmentation.bgContrast(lo, hi, r);
            for (int i = c * v; i < (c + 1) * v; i++) {
                s.image[i] *= m;
            }
        }
    }
}
