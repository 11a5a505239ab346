package io.nnft.training.augment;

import io.nnft.training.data.Sample;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The conventions of nnU-Net v2's training transforms (batchgeneratorsv2, as nnUNetTrainer.get_training_transforms
 * configures them) that a property test would not catch: each test names the behaviour it pins.
 */
class NnUNetConventionsTest {

    @Test
    void blurKernelSizeIsRoundToNearestOddOfSixSigmaPlusHalf() {
        // blur_dimension builds its kernel with truncate=6: ksize = _round_to_nearest_odd(6σ + 0.5), Python round.
        assertThat(GaussianBlur.kernelSize(0.5)).isEqualTo(3); // 3.5 → round 4 (even), below → 3
        assertThat(GaussianBlur.kernelSize(0.6)).isEqualTo(5); // 4.1 → 4 (even), above → 5
        assertThat(GaussianBlur.kernelSize(0.75)).isEqualTo(5); // 5.0
        assertThat(GaussianBlur.kernelSize(0.9)).isEqualTo(5); // 5.9 → 6 (even), below → 5
        assertThat(GaussianBlur.kernelSize(1.0)).isEqualTo(7); // 6.5 → 6 (half to even), above → 7
        // weights exp(−x²/2σ²) at x = −3..3, normalised
        float[] k = GaussianBlur.kernel(1.0);
        double norm = 1 + 2 * Math.exp(-0.5) + 2 * Math.exp(-2) + 2 * Math.exp(-4.5);
        assertThat((double) k[3]).isCloseTo(1 / norm, within(1e-7));
        assertThat((double) k[0]).isCloseTo(Math.exp(-4.5) / norm, within(1e-7));
    }

    @Test
    void gaussianNoiseAddsOneFieldToAllChannels() {
        // synchronize_channels=True: one σ and one noise array of shape (1, z, y, x) expanded over the channels.
        Sample s = new Sample(2, new int[] {5, 5, 5}, new float[250], new short[125]);
        new GaussianNoise(0.1).apply(s, new SplittableRandom(3));
        double energy = 0;
        for (int i = 0; i < 125; i++) {
            assertThat(s.image[125 + i]).isEqualTo(s.image[i]);
            energy += s.image[i] * s.image[i];
        }
        assertThat(energy).isPositive();
    }

    @Test
    void lowResolutionLeavesAxisZeroAloneInDummy2d() {
        // ignore_axes=(0,) in dummy-2D mode: the scale of axis 0 is forced to 1, so a pattern along z survives.
        float[] img = new float[8 * 8 * 8];
        for (int i = 0; i < img.length; i++) {
            img[i] = (i / 64) % 2; // alternating z-slices, constant in-plane
        }
        Sample ignored = new Sample(1, new int[] {8, 8, 8}, img.clone(), new short[512]);
        new SimulateLowResolution(0.5, 0.5, 1.0, true).apply(ignored, new SplittableRandom(1));
        assertThat(ignored.image).containsExactly(img);
        Sample all = new Sample(1, new int[] {8, 8, 8}, img.clone(), new short[512]);
        new SimulateLowResolution(0.5, 0.5, 1.0, false).apply(all, new SplittableRandom(1));
        assertThat(all.image).isNotEqualTo(img);
    }

    @Test
    void maskingZeroesEveryChannelOutsideTheMaskThenIgnoreBecomesBackground() {
        // MaskImageTransform(apply_to_channels=[0]) zeroes all channels where seg < 0; RemoveLabelTansform(−1, 0).
        float[] img = new float[2 * 8];
        java.util.Arrays.fill(img, 3f);
        short[] seg = {-1, 0, 1, -1, 0, 0, 1, 1};
        Sample s = new Sample(2, new int[] {1, 2, 4}, img, seg);
        AugmentationPipeline.of(List.of(), new boolean[] {true, false}).apply(s, new SplittableRandom(0));
        for (int c = 0; c < 2; c++) {
            assertThat(s.image[c * 8]).isZero();
            assertThat(s.image[c * 8 + 3]).isZero();
            assertThat(s.image[c * 8 + 1]).isEqualTo(3f);
        }
        assertThat(s.seg).containsExactly(0, 0, 1, 0, 0, 0, 1, 1);
    }

    @Test
    void centreCropStartsAtHalfTheImageMinusHalfThePatch() {
        // crop_tensor(center = ⌊D/2⌋): start ⌊D/2⌋ − ⌊P/2⌋ = 5 − 2 = 3 for D = 10, P = 5 (not ⌊(D − P)/2⌋ = 2).
        float[] img = new float[10 * 10 * 10];
        for (int i = 0; i < img.length; i++) {
            img[i] = i;
        }
        Sample s = new Sample(1, new int[] {10, 10, 10}, img, new short[1000]);
        new SpatialTransform(new int[] {5, 5, 5}, 0, false, 0, 0, 1, 1).apply(s, new SplittableRandom(1));
        assertThat(s.image[0]).isEqualTo((3 * 10 + 3) * 10 + 3);
    }

    @Test
    void segmentationLabelsNeedMoreThanSeventyPercentElseArgmaxWithTiesToTheSmallerLabel() {
        // bg_style_seg_sampling=False: a label is set where its interpolated indicator exceeds 0.7 (700 of 1000);
        // voxels no label claims take the argmax, whose ties go to the first (smallest) label. Image 8 voxels
        // wide in x, patch 7: every output x samples half of source x and half of x + 1.
        short[] line = {0, 0, 1, 1, 2, 2, 1, 0};
        Sample s = new Sample(1, new int[] {1, 1, 8}, new float[8], line.clone());
        new SpatialTransform(new int[] {1, 1, 7}, 0, false, 0, 0, 1, 1).warp(s, identity());
        // pairs (0,0) (0,1) (1,1) (1,2) (2,2) (2,1) (1,0)
        assertThat(s.seg).containsExactly(0, 0, 1, 1, 2, 1, 0);
    }

    @Test
    void outsideTheImageTheSegmentationGetsTheSmallestLabelPresent() {
        // padding_mode='zeros' makes every indicator 0 outside the image: argmax → labels[0], the smallest label in
        // the (loader's) patch — −1 here, which the pipeline's last step turns into background.
        short[] seg = new short[27];
        java.util.Arrays.fill(seg, (short) 1);
        seg[0] = -1;
        Sample s = new Sample(1, new int[] {3, 3, 3}, new float[27], seg);
        double[][] zoomOut = {{4, 0, 0}, {0, 4, 0}, {0, 0, 4}};
        new SpatialTransform(new int[] {3, 3, 3}, 0, false, 0, 0, 1, 1).warp(s, zoomOut);
        assertThat(s.seg[0]).isEqualTo((short) -1); // corner: source offset (−4, −4, −4), outside
        assertThat(s.seg[13]).isEqualTo((short) 1); // centre
    }

    @Test
    void gridScaleDividesTheGridInArrayOrderSoAnisotropicLoaderPatchesStretch() {
        // grid (x, y, z) /= tensor(image / patch in (z, y, x) order): x is divided by z's ratio and z by x's.
        double[][] m = SpatialGrid.voxelMatrix(SpatialGrid.affine3d(new double[3], 1), new int[] {16, 8, 8},
                new int[] {8, 8, 8});
        assertThat(m[0][0]).isCloseTo(2, within(1e-12));
        assertThat(m[1][1]).isCloseTo(1, within(1e-12));
        assertThat(m[2][2]).isCloseTo(0.5, within(1e-12));
        // equal ratios on every axis (cubic patches): the identity, voxel for voxel
        double[][] cube = SpatialGrid.voxelMatrix(SpatialGrid.affine3d(new double[3], 1), new int[] {25, 25, 25},
                new int[] {16, 16, 16});
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                assertThat(cube[i][j]).isCloseTo(i == j ? 1 : 0, within(1e-12));
            }
        }
    }

    @Test
    void dummy2dRotatesAndScalesOnlyInPlane() {
        // Convert3DTo2DTransform: slices become channels, the 2-D affine R(a)·S acts on (y, x); z is never scaled.
        double[][] m = SpatialGrid.voxelMatrix(SpatialGrid.affine2d(Math.PI / 2, 1.25), new int[] {4, 20, 20},
                new int[] {4, 20, 20});
        assertThat(m[0]).containsExactly(1, 0, 0);
        assertThat(m[1][0]).isZero();
        assertThat(m[2][0]).isZero();
        assertThat(Math.hypot(m[1][1], m[1][2])).isCloseTo(1.25, within(1e-12));
        assertThat(Math.abs(m[1][2])).isCloseTo(1.25, within(1e-12)); // 90°: y and x swap
    }

    private static double[][] identity() {
        return new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    }
}
