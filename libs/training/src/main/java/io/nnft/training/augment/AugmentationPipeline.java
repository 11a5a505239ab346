package io.nnft.training.augment;

import io.nnft.training.data.PatchSizes;
import io.nnft.training.data.Sample;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * nnUNetTrainer.get_training_transforms (3D, no cascade, no regions), in its order and probabilities:
 * spatial (rotation 0.2, scaling 0.2), Gaussian noise 0.1, Gaussian blur 0.2, multiplicative brightness
 * 0.15, contrast 0.15, low resolution 0.25, inverted gamma 0.1, gamma 0.3, mirroring, masking of the
 * outside (every channel, when any channel is normalised within the mask), and −1 → 0 in the segmentation.
 * Validation (nnU-Net's get_validation_transforms) only does the last step.
 */
public final class AugmentationPipeline {
    private final List<Augmentation> steps;
    private final boolean[] useMaskForNorm;

    private AugmentationPipeline(List<Augmentation> steps, boolean[] useMaskForNorm) {
        this.steps = List.copyOf(steps);
        this.useMaskForNorm = useMaskForNorm == null ? new boolean[0] : useMaskForNorm.clone();
    }

    public static AugmentationPipeline nnUNetTraining(int[] patch, boolean[] useMaskForNorm) {
        boolean dummy2d = PatchSizes.dummy2d(patch);
        List<Augmentation> s = new ArrayList<>();
        s.add(SpatialTransform.nnUNetDefault(patch, PatchSizes.rotationLimit(patch), dummy2d));
        s.add(new RandomApply(new GaussianNoise(0.1), 0.1));
        s.add(new RandomApply(new GaussianBlur(0.5, 1.0, 0.5), 0.2));
        s.add(new RandomApply(new MultiplicativeBrightness(0.75, 1.25), 0.15));
        s.add(new RandomApply(new Contrast(0.75, 1.25), 0.15));
        s.add(new RandomApply(new SimulateLowResolution(0.5, 1.0, 0.5, dummy2d), 0.25));
        s.add(new RandomApply(new Gamma(0.7, 1.5, true), 0.1));
        s.add(new RandomApply(new Gamma(0.7, 1.5, false), 0.3));
        s.add(new Mirror(new int[] {0, 1, 2})); // nnU-Net mirrors all three axes even in dummy-2D mode
        return new AugmentationPipeline(s, useMaskForNorm);
    }

    /** Any steps followed by the masking and −1 → 0 that close nnU-Net's pipeline (tests of those last two). */
    static AugmentationPipeline of(List<Augmentation> steps, boolean[] useMaskForNorm) {
        return new AugmentationPipeline(steps, useMaskForNorm);
    }

    public static AugmentationPipeline validation() {
        return new AugmentationPipeline(List.of(), null);
    }

    public List<Augmentation> steps() {
        return steps;
    }

    private boolean anyMaskForNorm() {
        for (boolean b : useMaskForNorm) {
            if (b) {
                return true;
            }
        }
        return false;
    }

    public void apply(Sample sample, SplittableRandom random) {
        for (Augmentation a : steps) {
            a.apply(sample, random);
        }
        int v = sample.voxels();
        if (anyMaskForNorm()) {
            // batchgeneratorsv2's MaskImageTransform zeroes every channel outside the mask, not only the listed ones.
            for (int c = 0; c < sample.channels; c++) {
                for (int i = 0; i < v; i++) {
                    if (sample.seg[i] < 0) {
                        sample.image[c * v + i] = 0;
                    }
                }
            }
        }
        for (int i = 0; i < v; i++) {
            if (sample.seg[i] == -1) {
                sample.seg[i] = 0;
            }
        }
    }
}
