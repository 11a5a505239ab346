package io.nnft.planning;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NonzeroBoundingBoxTest {

    private static CaseData caseOf(int[] shape, float[]... channels) {
        return new CaseData("c", channels, new float[channels[0].length], shape, new double[]{1, 1, 1});
    }

    @Test
    void boxOfTheVoxelsNonzeroInAnyChannel() {
        int[] shape = {3, 4, 5};
        float[] a = new float[60];
        float[] b = new float[60];
        a[(1 * 4 + 2) * 5 + 1] = 7;   // z 1, y 2, x 1
        b[(2 * 4 + 1) * 5 + 3] = -2;  // z 2, y 1, x 3: negative counts as nonzero
        assertThat(NonzeroBoundingBox.of(caseOf(shape, a, b))).containsExactly(1, 3, 1, 3, 1, 4);
        assertThat(NonzeroBoundingBox.of(caseOf(shape, a))).containsExactly(1, 2, 2, 3, 1, 2);
    }

    @Test
    void allZeroKeepsTheWholeImage() {
        // acvl_utils' get_bbox_from_mask on an empty mask
        assertThat(NonzeroBoundingBox.of(caseOf(new int[]{2, 3, 4}, new float[24]))).containsExactly(0, 2, 0, 3, 0, 4);
    }

    @Test
    void refusesAnImageThatIsNot3d() {
        assertThatThrownBy(() -> NonzeroBoundingBox.of(caseOf(new int[]{4, 4}, new float[16])))
                .isInstanceOf(PlansException.class).hasMessageContaining("case c").hasMessageContaining("[4, 4]");
    }
}
