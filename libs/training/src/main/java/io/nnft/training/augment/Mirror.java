package io.nnft.training.augment;

import io.nnft.training.data.Sample;

import java.util.SplittableRandom;

/** MirrorTransform(allowed_axes): each allowed spatial axis flipped with probability 0.5, image and seg alike. */
public record Mirror(int[] axes) implements Augmentation {
    @Override
    public void apply(Sample s, SplittableRandom r) {
        for (int axis : axes) {
            if (r.nextDouble() < 0.5) {
                flip(s, axis);
            }
        }
    }

    public static void flip(Sample s, int axis) {
        int[] sh = s.shape;
        int v = s.voxels();
        int stride = axis == 0 ? sh[1] * sh[2] : axis == 1 ? sh[2] : 1;
        int n = sh[axis];
        for (int i = 0; i < v; i++) {
            int coord = (i / stride) % n;
            if (coord < n / 2) {
                int j = i + (n - 1 - 2 * coord) * stride;
                short t = s.seg[i];
                s.seg[i] = s.seg[j];
                s.seg[j] = t;
                for (int c = 0; c < s.channels; c++) {
                    float f = s.image[c * v + i];
                    s.image[c * v + i] = s.image[c * v + j];
                    s.image[c * v + j] = f;
                }
            }
        }
    }
}
