package io.nnft.training.data;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PatchSizesTest {
    @Test
    void initialPatchSizeIsBatchgeneratorsGetPatchSize() {
        // python: get_patch_size(p, (-π/6, π/6) ×3, (0.85, 1.25)) via rotate_coords_3d
        assertThat(PatchSizes.initialPatchSize(new int[] {32, 32, 32})).containsExactly(51, 51, 51);
        assertThat(PatchSizes.initialPatchSize(new int[] {40, 56, 40})).containsExactly(73, 80, 64);
        assertThat(PatchSizes.initialPatchSize(new int[] {16, 16, 16})).containsExactly(25, 25, 25);
    }

    @Test
    void anisotropicPatchesUseDummy2d() {
        assertThat(PatchSizes.dummy2d(new int[] {20, 320, 256})).isTrue();
        assertThat(PatchSizes.rotationLimit(new int[] {20, 320, 256})).isEqualTo(Math.PI);
        assertThat(PatchSizes.initialPatchSize(new int[] {20, 320, 256})[0]).isEqualTo(20);
        assertThat(PatchSizes.dummy2d(new int[] {40, 56, 40})).isFalse();
    }
}
