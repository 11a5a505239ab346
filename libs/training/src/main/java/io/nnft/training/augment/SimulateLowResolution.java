package io.nnft.training.augment;

import io.nnft.training.data.Sample;

import java.util.SplittableRandom;

/**
 * SimulateLowResolutionTransform(scale=(0.5, 1), synchronize_channels=False, synchronize_axes=True,
 * ignore_axes, p_per_channel=0.5): each channel with probability 0.5 is downsampled ('nearest-exact') to
 * round(shape · s) with one s for all axes, then upsampled back (trilinear) — sharp detail is lost, the shape is
 * kept. nnU-Net ignores axis 0 (scale 1) in dummy-2D mode.
 */
public record SimulateLowResolution(double scaleLo, double scaleHi, double pPerChannel, boolean ignoreFirstAxis)
        implements Augmentation {
    @Override
    public void apply(Sample s, SplittableRandom r) {
        int v = s.voxels();
        for (int c = 0; c < s.channels; c++) {
            if (r.nextDouble() >= pPerChannel) {
                continue;
            }
            double scale = Augmentation.uniform(scaleLo, scaleHi, r);
            int[] small = new int[3];
            for (int d = 0; d < 3; d++) {
                small[d] = d == 0 && ignoreFirstAxis ? s.shape[d] : Math.max(1, (int) Math.rint(s.shape[d] * scale));
            }
            float[] ch = java.util.Arrays.copyOfRange(s.image, c * v, (c + 1) * v);
            float[] back = Resampling.trilinear(Resampling.nearestExact(ch, s.shape, small), small, s.shape);
            System.arraycopy(back, 0, s.image, c * v, v);
        }
    }
}
