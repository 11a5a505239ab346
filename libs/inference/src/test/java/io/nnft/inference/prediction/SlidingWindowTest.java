package io.nnft.inference.prediction;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SlidingWindowTest {

    @Test
    void stepsAsInNnUNetsExample() {
        // nnU-Net's own comment: image 110, patch 64, step 0.5 -> 3 steps at 0, 23, 46
        assertThat(SlidingWindow.computeSteps(new int[] {110}, new int[] {64}, 0.5)[0]).containsExactly(0, 23, 46);
    }

    @Test
    void stepsHandComputed() {
        int[][] s = SlidingWindow.computeSteps(new int[] {100, 75, 32}, new int[] {40, 32, 32}, 0.5);
        // ceil(60/20)+1 = 4 steps of 20
        assertThat(s[0]).containsExactly(0, 20, 40, 60);
        // ceil(43/16)+1 = 4 steps of 43/3 = 14.33: 0, 14, 28.67 -> 29, 43
        assertThat(s[1]).containsExactly(0, 14, 29, 43);
        // image equals tile: one step
        assertThat(s[2]).containsExactly(0);
        // rounding half to even as np.round: tile 10, step 0.25 (2.5), image 15 -> ceil(5/2.5)+1 = 3 steps of 2.5
        assertThat(SlidingWindow.computeSteps(new int[] {15}, new int[] {10}, 0.25)[0]).containsExactly(0, 2, 5);
        // step 1: no overlap unless needed
        assertThat(SlidingWindow.computeSteps(new int[] {70}, new int[] {32}, 1.0)[0]).containsExactly(0, 19, 38);
    }

    @Test
    void stepsRejectAnImageSmallerThanTheTile() {
        assertThatThrownBy(() -> SlidingWindow.computeSteps(new int[] {20}, new int[] {32}, 0.5))
                .hasMessageContaining("at least the tile size");
    }

    @Test
    void gaussianFromTheFormula() {
        int[] tile = {32, 32, 32};
        float[] g = SlidingWindow.gaussian(tile);
        // sigma = 32/8 = 4 per axis, centre 16; value = 10 * exp(-0.5 * sum(d^2) / 16)
        assertThat(g[idx(16, 16, 16)]).isEqualTo(10f);
        assertThat((double) g[idx(0, 16, 16)]).isCloseTo(10 * Math.exp(-0.5 * 256 / 16), within(1e-7));
        assertThat((double) g[idx(31, 20, 10)])
                .isCloseTo(10 * Math.exp(-0.5 * (15 * 15 + 4 * 4 + 6 * 6) / 16.0), within(1e-6));
        assertThat((double) g[idx(0, 0, 0)]).isCloseTo(10 * Math.exp(-24), within(1e-12));
        float max = 0;
        for (float v : g) {
            max = Math.max(max, v);
        }
        assertThat(max).isEqualTo(10f);
    }

    @Test
    void gaussianAnisotropicTile() {
        float[] g = SlidingWindow.gaussian(new int[] {8, 40}, 1.0 / 8, 1);
        // sigma 1 along the first axis, 5 along the second; centre (4, 20)
        assertThat((double) g[2 * 40 + 20]).isCloseTo(Math.exp(-0.5 * 4), within(1e-7));
        assertThat((double) g[4 * 40 + 30]).isCloseTo(Math.exp(-0.5 * 100 / 25.0), within(1e-7));
    }

    @Test
    void gaussianZerosBeyondTheKernelBecomeTheSmallestValue() {
        // sigma 1 (scale 1/16 of 16): scipy's kernel reaches 4 voxels; further voxels are 0 in scipy, then
        // replaced by the smallest non-zero value, exp(-0.5 * 16)
        float[] g = SlidingWindow.gaussian(new int[] {16}, 1.0 / 16, 1);
        double min = Math.exp(-8);
        assertThat((double) g[4]).isCloseTo(min, within(1e-9));
        assertThat((double) g[0]).isCloseTo(min, within(1e-9));
        assertThat((double) g[3]).isCloseTo(min, within(1e-9));
        assertThat((double) g[15]).isCloseTo(min, within(1e-9));
        assertThat((double) g[11]).isCloseTo(Math.exp(-0.5 * 9), within(1e-9));
        assertThat(g[8]).isEqualTo(1f);
    }

    @Test
    void paddingCentresTheImageAndCropsBack() {
        Padding p = Padding.toAtLeast(new int[] {3, 5, 40}, new int[] {8, 4, 32});
        assertThat(p.paddedShape()).containsExactly(8, 5, 40);
        // diff 5: 2 before, 3 after (pad_nd_image)
        assertThat(p.before()).containsExactly(2, 0, 0);
        float[] v = new float[3 * 5 * 40];
        for (int i = 0; i < v.length; i++) {
            v[i] = i + 1;
        }
        float[] padded = p.pad(v);
        assertThat(padded[0]).isZero();
        assertThat(padded[2 * 5 * 40]).isEqualTo(1f);
        assertThat(p.crop(padded)).containsExactly(v);
    }

    @Test
    void mirrorCombinationsInItertoolsOrder() {
        int[][] c = PredictionSettings.defaults(new int[] {0, 1, 2}).mirrorCombinations();
        assertThat(c).isDeepEqualTo(new int[][] {{0}, {1}, {2}, {0, 1}, {0, 2}, {1, 2}, {0, 1, 2}});
        assertThat(PredictionSettings.defaults(new int[] {0, 1, 2}).withMirroring(false).mirrorCombinations()).isEmpty();
    }

    private static int idx(int z, int y, int x) {
        return (z * 32 + y) * 32 + x;
    }
}
