package io.nnft.preprocessing.cropping;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CropToNonzeroTest {

    @Test
    void cropsToTheUnionOfChannelsFillsHolesAndMarksOutsideBackground() {
        // 3 x 5 x 5: channel 0 is a hollow ring in slice 1 (centre hole), channel 1 one voxel in slice 2
        int[] shape = {3, 5, 5};
        float[] c0 = new float[75];
        float[] c1 = new float[75];
        for (int y = 1; y <= 3; y++) {
            for (int x = 1; x <= 3; x++) {
                if (y != 2 || x != 2) {
                    c0[25 + y * 5 + x] = 5f;
                }
            }
        }
        c1[50 + 3 * 5 + 3] = -2f;
        short[] seg = new short[75];
        seg[25 + 2 * 5 + 2] = 1;    // label in the hole
        seg[50 + 1 * 5 + 1] = 2;    // label outside the mask stays (only background becomes -1)
        CropToNonzero.Result r = CropToNonzero.crop(new float[][]{c0, c1}, seg, shape);

        assertThat(r.box()).isEqualTo(new CropBox(new int[]{1, 1, 1}, new int[]{3, 4, 4}));
        assertThat(r.shape()).containsExactly(2, 3, 3);
        // slice 1: the ring plus its filled hole are all inside
        for (int i = 0; i < 9; i++) {
            assertThat(r.seg()[i]).isEqualTo(i == 4 ? (short) 1 : (short) 0);
        }
        // slice 2: only (3, 3) is inside; label 2 at (1, 1) kept; everything else -1
        short[] slice2 = java.util.Arrays.copyOfRange(r.seg(), 9, 18);
        assertThat(slice2).containsExactly((short) 2, (short) -1, (short) -1, (short) -1, (short) -1, (short) -1,
                (short) -1, (short) -1, (short) 0);
        assertThat(r.data()[0][4]).isEqualTo(0f);
        assertThat(r.data()[1][17]).isEqualTo(-2f);
    }

    @Test
    void withoutLabelsTheMapIsZeroInsideAndMinusOneOutside() {
        int[] shape = {1, 3, 4};
        float[] c = {0, 0, 0, 0,
                0, 1, 0, 2,
                0, 0, 0, 0};
        CropToNonzero.Result r = CropToNonzero.crop(new float[][]{c}, null, shape);
        assertThat(r.box()).isEqualTo(new CropBox(new int[]{0, 1, 1}, new int[]{1, 2, 4}));
        // (1, 2) is a zero between two nonzero voxels but touches the border through rows 0 and 2: not a hole
        assertThat(r.seg()).containsExactly((short) 0, (short) -1, (short) 0);
        assertThat(r.data()[0]).containsExactly(1f, 0f, 2f);
    }

    @Test
    void anEmptyImageKeepsItsFullExtent() {
        CropToNonzero.Result r = CropToNonzero.crop(new float[][]{new float[8]}, null, new int[]{2, 2, 2});
        assertThat(r.shape()).containsExactly(2, 2, 2);
        assertThat(r.seg()).containsOnly((short) -1);
    }
}
