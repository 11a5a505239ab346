package io.nnft.training.augment;

import io.nnft.training.data.Sample;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Each nnU-Net transform against a property that can be checked by hand. */
class AugmentationTest {
    private static Sample noise(int c, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int v = n * n * n;
        float[] img = new float[c * v];
        for (int i = 0; i < img.length; i++) {
            img[i] = (float) (r.nextDouble() * 2 - 0.5);
        }
        short[] seg = new short[v];
        for (int i = 0; i < v; i++) {
            seg[i] = (short) (img[i] > 1 ? 1 : 0);
        }
        return new Sample(c, new int[] {n, n, n}, img, seg);
    }

    private static double[] meanStd(float[] a, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += a[i];
        }
        double m = s / (to - from);
        double q = 0;
        for (int i = from; i < to; i++) {
            q += (a[i] - m) * (a[i] - m);
        }
        return new double[] {m, Math.sqrt(q / (to - from - 1))};
    }

    @Test
    void bgContrastSamplesBothSidesOfOne() {
        SplittableRandom r = new SplittableRandom(0);
        int below = 0;
        for (int i = 0; i < 4000; i++) {
            double f = Augmentation.bgContrast(0.75, 1.25, r);
            assertThat(f).isBetween(0.75, 1.25);
            below += f < 1 ? 1 : 0;
        }
        assertThat(below).isBetween(1800, 2200);
    }

    @Test
    void gaussianNoiseHasZeroMeanAndSigmaAtMostTheRange() {
        Sample s = noise(1, 24, 1);
        float[] before = s.image.clone();
        new GaussianNoise(0.1).apply(s, new SplittableRandom(5));
        float[] diff = new float[before.length];
        for (int i = 0; i < diff.length; i++) {
            diff[i] = s.image[i] - before[i];
        }
        double[] ms = meanStd(diff, 0, diff.length);
        assertThat(ms[0]).isCloseTo(0, within(0.01));
        assertThat(ms[1]).isBetween(0.0, 0.105);
        assertThat(ms[1]).isGreaterThan(0);
    }

    @Test
    void brightnessMultipliesEachChannelByOneFactorInRange() {
        Sample s = noise(2, 8, 2);
        float[] before = s.image.clone();
        new MultiplicativeBrightness(0.75, 1.25).apply(s, new SplittableRandom(3));
        for (int c = 0; c < 2; c++) {
            double f = s.image[c * 512] / before[c * 512];
            assertThat(f).isBetween(0.75, 1.25);
            for (int i = c * 512; i < (c + 1) * 512; i++) {
                assertThat((double) s.image[i]).isCloseTo(before[i] * f, within(1e-5));
            }
        }
    }

    @Test
    void contrastKeepsTheRangeAndScalesDeviationsFromTheMean() {
        Sample s = noise(1, 10, 3);
        float[] before = s.image.clone();
        double[] ms = meanStd(before, 0, before.length);
        new Contrast(0.75, 1.25).apply(s, new SplittableRandom(11));
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float f : before) {
            min = Math.min(min, f);
            max = Math.max(max, f);
        }
        // find a voxel near the mean: unclipped, so (x - mean)·f + mean recovers one factor for all such voxels
        Double factor = null;
        for (int i = 0; i < before.length; i++) {
            assertThat(s.image[i]).isBetween(min, max);
            double d = before[i] - ms[0];
            if (Math.abs(d) > 0.1 && Math.abs(d) < 0.3) {
                double f = (s.image[i] - ms[0]) / d;
                if (factor == null) {
                    factor = f;
                }
                assertThat(f).isCloseTo(factor, within(1e-3));
            }
        }
        assertThat(factor).isBetween(0.75, 1.25);
    }

    @Test
    void gammaRetainsMeanAndStdAndOrder() {
        for (boolean invert : new boolean[] {false, true}) {
            Sample s = noise(1, 10, 4);
            float[] before = s.image.clone();
            new Gamma(0.7, 1.5, invert).apply(s, new SplittableRandom(invert ? 1 : 2));
            double[] a = meanStd(before, 0, before.length);
            double[] b = meanStd(s.image, 0, s.image.length);
            assertThat(b[0]).isCloseTo(a[0], within(1e-4));
            assertThat(b[1]).isCloseTo(a[1], within(1e-4));
            // monotone map: the order of any two voxels is preserved
            for (int i = 1; i < before.length; i++) {
                if (before[i] > before[i - 1] + 1e-3) {
                    assertThat(s.image[i]).isGreaterThan(s.image[i - 1]);
                }
            }
            assertThat(s.image).isNotEqualTo(before);
        }
    }

    @Test
    void blurKernelIsNormalisedAndBlurKeepsConstantsAndReducesVariance() {
        float[] k = GaussianBlur.kernel(1.0);
        assertThat(k).hasSize(7);
        double sum = 0;
        for (float f : k) {
            sum += f;
        }
        assertThat(sum).isCloseTo(1, within(1e-6));
        assertThat(GaussianBlur.reflect(-1, 5)).isEqualTo(1);
        assertThat(GaussianBlur.reflect(5, 5)).isEqualTo(3);
        Sample c = new Sample(1, new int[] {6, 6, 6}, filled(216, 2.5f), new short[216]);
        new GaussianBlur(0.5, 1, 1.0).apply(c, new SplittableRandom(1));
        for (float f : c.image) {
            assertThat((double) f).isCloseTo(2.5, within(1e-5));
        }
        Sample s = noise(1, 16, 5);
        double before = meanStd(s.image, 0, s.image.length)[1];
        new GaussianBlur(0.5, 1, 1.0).apply(s, new SplittableRandom(2));
        assertThat(meanStd(s.image, 0, s.image.length)[1]).isLessThan(before * 0.8);
    }

    @Test
    void lowResolutionKeepsShapeAndConstantsAndLosesDetail() {
        assertThat(Resampling.trilinear(filled(27, 4f), new int[] {3, 3, 3}, new int[] {5, 7, 6})).containsOnly(4f);
        // nearest-exact 4 → 2 picks source 1 and 3 (torch's (i + 0.5)·2)
        float[] line = {10, 11, 12, 13};
        assertThat(Resampling.nearestExact(line, new int[] {1, 1, 4}, new int[] {1, 1, 2})).containsExactly(11, 13);
        Sample s = noise(1, 16, 6);
        float[] before = s.image.clone();
        new SimulateLowResolution(0.5, 0.5, 1.0, false).apply(s, new SplittableRandom(1));
        assertThat(s.image).hasSize(before.length);
        assertThat(meanStd(s.image, 0, s.image.length)[1]).isLessThan(meanStd(before, 0, before.length)[1]);
    }

    @Test
    void mirrorFlipsVoxelsAndTwiceIsIdentity() {
        Sample s = noise(2, 5, 7);
        float[] before = s.image.clone();
        short[] seg = s.seg.clone();
        Mirror.flip(s, 2);
        // (z, y, x) → (z, y, 4 − x), both channels and the segmentation
        assertThat(s.image[(1 * 5 + 2) * 5 + 0]).isEqualTo(before[(1 * 5 + 2) * 5 + 4]);
        assertThat(s.image[125 + (3 * 5 + 1) * 5 + 1]).isEqualTo(before[125 + (3 * 5 + 1) * 5 + 3]);
        assertThat(s.seg[(1 * 5 + 2) * 5]).isEqualTo(seg[(1 * 5 + 2) * 5 + 4]);
        Mirror.flip(s, 0);
        assertThat(s.image[(0 * 5 + 2) * 5 + 0]).isEqualTo(before[(4 * 5 + 2) * 5 + 4]);
        Mirror.flip(s, 0);
        Mirror.flip(s, 2);
        assertThat(s.image).containsExactly(before);
        assertThat(s.seg).containsExactly(seg);
    }

    @Test
    void spatialWithoutRotationOrScalingIsACentreCrop() {
        Sample s = noise(1, 9, 8);
        float[] before = s.image.clone();
        new SpatialTransform(new int[] {5, 5, 5}, 0.5, false, 0, 0, 0.7, 1.4).apply(s, new SplittableRandom(1));
        assertThat(s.shape).containsExactly(5, 5, 5);
        assertThat(s.image[0]).isEqualTo(before[(2 * 9 + 2) * 9 + 2]);
        assertThat(s.image[124]).isEqualTo(before[(6 * 9 + 6) * 9 + 6]);
    }

    @Test
    void spatialRotationByNinetyDegreesMovesVoxelsAsTheGridSays() {
        // batchgeneratorsv2: grid (x, y, z) @ Rz·Ry·Rx with angles[0] = 90° about x: the sampled source offset is
        // (x, y, z) = (qx, qz, −qy), i.e. in array order z_src = −qy, y_src = qz, x_src = qx.
        Sample s = noise(1, 7, 9);
        float[] before = s.image.clone();
        short[] seg = s.seg.clone();
        SpatialTransform t = new SpatialTransform(new int[] {7, 7, 7}, 0, false, 0, 0, 1, 1);
        t.warp(s, SpatialGrid.voxelMatrix(SpatialGrid.affine3d(new double[] {Math.PI / 2, 0, 0}, 1), s.shape,
                new int[] {7, 7, 7}));
        for (int z = 0; z < 7; z++) {
            for (int y = 0; y < 7; y++) {
                for (int x = 0; x < 7; x++) {
                    int sz = 3 - (y - 3);
                    int sy = 3 + (z - 3);
                    assertThat((double) s.image[(z * 7 + y) * 7 + x]).isCloseTo(before[(sz * 7 + sy) * 7 + x], within(1e-5));
                    assertThat(s.seg[(z * 7 + y) * 7 + x]).isEqualTo(seg[(sz * 7 + sy) * 7 + x]);
                }
            }
        }
    }

    @Test
    void spatialScalingAboveOneZoomsOut() {
        // a centred cube of label 1 and intensity 1 covers fewer voxels after scaling by 1.4
        int n = 21;
        float[] img = new float[n * n * n];
        short[] seg = new short[n * n * n];
        int inside = 0;
        for (int z = 0; z < n; z++) {
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    if (Math.abs(z - 10) <= 4 && Math.abs(y - 10) <= 4 && Math.abs(x - 10) <= 4) {
                        img[(z * n + y) * n + x] = 1;
                        seg[(z * n + y) * n + x] = 1;
                        inside++;
                    }
                }
            }
        }
        Sample s = new Sample(1, new int[] {n, n, n}, img, seg);
        new SpatialTransform(new int[] {n, n, n}, 0, false, 0, 1, 1.4, 1.4).apply(s, new SplittableRandom(1));
        int after = 0;
        for (short v : s.seg) {
            after += v;
        }
        assertThat(after).isLessThan(inside / 2).isGreaterThan(inside / 4); // 9³ → ~(9/1.4)³
    }

    @Test
    void pipelineOutputsThePatchWithoutIgnoreLabel() {
        AugmentationPipeline p = AugmentationPipeline.nnUNetTraining(new int[] {8, 8, 8}, new boolean[] {false});
        assertThat(p.steps()).hasSize(9);
        for (int i = 0; i < 30; i++) {
            Sample s = noise(1, 13, i);
            s.seg[0] = -1;
            p.apply(s, new SplittableRandom(i));
            assertThat(s.shape).containsExactly(8, 8, 8);
            assertThat(s.image).hasSize(512);
            for (short v : s.seg) {
                assertThat(v).isBetween((short) 0, (short) 1);
            }
        }
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
