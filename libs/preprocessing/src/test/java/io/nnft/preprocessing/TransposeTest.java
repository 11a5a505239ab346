package io.nnft.preprocessing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TransposeTest {
    @Test
    void outputAxisTakesTheInputAxisNamedByTheOrder() {
        int[] shape = {2, 3, 4};
        float[] a = new float[24];
        for (int i = 0; i < 24; i++) {
            a[i] = i;
        }
        int[] order = {2, 0, 1};
        float[] t = Transpose.apply(a, shape, order);
        assertThat(Transpose.shape(shape, order)).containsExactly(4, 2, 3);
        // t[x][z][y] == a[z][y][x]
        for (int z = 0; z < 2; z++) {
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 4; x++) {
                    assertThat(t[(x * 2 + z) * 3 + y]).isEqualTo(a[(z * 3 + y) * 4 + x]);
                }
            }
        }
        assertThat(Transpose.spacing(new double[]{1, 2, 3}, order)).containsExactly(3, 1, 2);
        assertThat(Transpose.apply(a, shape, new int[]{0, 1, 2})).isSameAs(a);
    }
}
