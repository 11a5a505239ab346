package io.nnft.classification;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.nnft.network.Networks;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** torch.nn.CrossEntropyLoss(weight) by hand: Σ w[y]·(−log p[y]) / Σ w[y]. */
class CrossEntropyTest {

    @Test
    void weightedMeanOfNegativeLogLikelihoods() {
        try (NDManager m = Networks.engine().newBaseManager()) {
            // logits (0, 0) → p = ½ each; logits (ln 3, 0) → p = (¾, ¼)
            float ln3 = (float) Math.log(3);
            var logits = m.create(new float[] {0, 0, ln3, 0}, new Shape(2, 2));
            int[] labels = {0, 1};
            double plain = (-Math.log(0.5) - Math.log(0.25)) / 2;
            assertThat(new CrossEntropy(null, 2).loss(logits, labels, m).getFloat()).isCloseTo((float) plain, within(1e-6f));
            double weighted = (1 * -Math.log(0.5) + 3 * -Math.log(0.25)) / (1 + 3);
            assertThat(new CrossEntropy(new double[] {1, 3}, 2).loss(logits, labels, m).getFloat())
                    .isCloseTo((float) weighted, within(1e-6f));
            assertThat(CrossEntropy.ofProbabilities(new double[][] {{0.5, 0.5}, {0.75, 0.25}}, labels, new double[] {1, 3}))
                    .isCloseTo(weighted, within(1e-12));
        }
        assertThatThrownBy(() -> new CrossEntropy(new double[] {1}, 2)).hasMessageContaining("expected 2 (one per class), found 1");
    }
}
