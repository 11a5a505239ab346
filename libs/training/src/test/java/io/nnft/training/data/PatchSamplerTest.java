package io.nnft.training.data;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class PatchSamplerTest {
    /** 20³ case, background 0 except one foreground voxel block of label 2 at (3..4, 15..16, 2..3). */
    private static PreprocessedCase tinyCase() {
        int[] shape = {20, 20, 20};
        float[] data = new float[8000];
        short[] seg = new short[8000];
        int[][] locs = new int[8][];
        int k = 0;
        for (int z = 3; z < 5; z++) {
            for (int y = 15; y < 17; y++) {
                for (int x = 2; x < 4; x++) {
                    int i = (z * 20 + y) * 20 + x;
                    seg[i] = 2;
                    data[i] = 1;
                    locs[k++] = new int[] {0, z, y, x};
                }
            }
        }
        return new PreprocessedCase("c", 1, shape, data, seg, Map.of(1, new int[0][], 2, locs));
    }

    @Test
    void oversampledSlotsAreNnUNets() {
        PatchSampler s = new PatchSampler(new int[] {8, 8, 8}, new int[] {8, 8, 8}, 0.33);
        // round(2 · 0.67) = 1 → slot 1 forced; round(9 · 0.67) = round(6.03) = 6 → slots 6, 7, 8
        assertThat(s.forceForeground(0, 2)).isFalse();
        assertThat(s.forceForeground(1, 2)).isTrue();
        int forced = 0;
        for (int i = 0; i < 9; i++) {
            forced += s.forceForeground(i, 9) ? 1 : 0;
        }
        assertThat(forced).isEqualTo(3);
        assertThat(s.forceForeground(5, 9)).isFalse();
    }

    @Test
    void forcedPatchesAlwaysHoldForegroundRandomOnesRarely() {
        PreprocessedCase c = tinyCase();
        PatchSampler s = new PatchSampler(new int[] {8, 8, 8}, new int[] {8, 8, 8}, 0.33);
        SplittableRandom r = new SplittableRandom(1);
        int randomWithFg = 0;
        int n = 400;
        for (int i = 0; i < n; i++) {
            Sample forced = s.crop(c, s.lowerCorner(c.shape(), true, c.classLocations(), r));
            assertThat(containsLabel(forced, 2)).isTrue();
            Sample random = s.crop(c, s.lowerCorner(c.shape(), false, c.classLocations(), r));
            randomWithFg += containsLabel(random, 2) ? 1 : 0;
        }
        // The block is seen by ~ (8+1)·(8+1)·(8+1)/13³ of uniform positions at best; far from always.
        assertThat(randomWithFg).isLessThan(n / 2);
    }

    @Test
    void paddingBeyondTheImageIsZeroAndMinusOne() {
        PreprocessedCase c = tinyCase();
        // loader patch 30 > image 20: needs padding on every axis
        PatchSampler s = new PatchSampler(new int[] {30, 30, 30}, new int[] {16, 16, 16}, 0.33);
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 50; i++) {
            int[] lower = s.lowerCorner(c.shape(), false, c.classLocations(), r);
            for (int d = 0; d < 3; d++) {
                // need_to_pad = 14 → lbs = -7, ubs = 20 + 7 - 30 = -3
                assertThat(lower[d]).isBetween(-7, -3);
            }
            Sample p = s.crop(c, lower);
            assertThat(p.seg[0]).isEqualTo((short) -1);
            assertThat(p.image[0]).isEqualTo(0f);
            int inside = ((-lower[0] + 3) * 30 + (-lower[1] + 15)) * 30 + (-lower[2] + 2);
            assertThat(p.seg[inside]).isEqualTo((short) 2);
            assertThat(p.image[inside]).isEqualTo(1f);
        }
    }

    private static boolean containsLabel(Sample s, int label) {
        for (short v : s.seg) {
            if (v == label) {
                return true;
            }
        }
        return false;
    }
}
