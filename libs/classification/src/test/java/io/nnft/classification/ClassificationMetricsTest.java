package io.nnft.classification;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Hand-computed values (worked out on paper, not by another implementation). */
class ClassificationMetricsTest {

    @Test
    void aucWithTiesIsMannWhitneyWithMidRanks() {
        // positives score 0.8, 0.5, 0.5; negatives 0.5, 0.2.
        // Pairs (pos, neg): (0.8,0.5)=1, (0.8,0.2)=1, (0.5,0.5)=½, (0.5,0.2)=1, (0.5,0.5)=½, (0.5,0.2)=1 → 5/6
        boolean[] pos = {true, true, true, false, false};
        double[] s = {0.8, 0.5, 0.5, 0.5, 0.2};
        assertThat(ClassificationMetrics.auc(pos, s)).isCloseTo(5.0 / 6, within(1e-12));
        // all tied: ½
        assertThat(ClassificationMetrics.auc(new boolean[] {true, false, true}, new double[] {0.3, 0.3, 0.3}))
                .isCloseTo(0.5, within(1e-12));
        // perfectly separated, and perfectly inverted
        assertThat(ClassificationMetrics.auc(new boolean[] {false, true}, new double[] {0.1, 0.9})).isEqualTo(1.0);
        assertThat(ClassificationMetrics.auc(new boolean[] {true, false}, new double[] {0.1, 0.9})).isEqualTo(0.0);
        // no negatives: undefined
        assertThat(ClassificationMetrics.auc(new boolean[] {true, true}, new double[] {0.1, 0.9})).isNaN();
    }

    @Test
    void threeClassConfusionAccuracyBalancedAccuracyAndMacroAuc() {
        int[] truth = {0, 0, 0, 1, 1, 2};
        double[][] p = {
            {0.7, 0.2, 0.1}, // 0 → 0
            {0.2, 0.7, 0.1}, // 0 → 1
            {0.6, 0.3, 0.1}, // 0 → 0
            {0.1, 0.8, 0.1}, // 1 → 1
            {0.3, 0.3, 0.4}, // 1 → 2
            {0.1, 0.1, 0.8}, // 2 → 2
        };
        ClassificationMetrics m = ClassificationMetrics.of(truth, p, 3);
        assertThat(m.confusion()).isEqualTo(new int[][] {{2, 1, 0}, {0, 1, 1}, {0, 0, 1}});
        assertThat(m.accuracy()).isCloseTo(4.0 / 6, within(1e-12));
        // recalls 2/3, 1/2, 1 → mean 13/18
        assertThat(m.balancedAccuracy()).isCloseTo(13.0 / 18, within(1e-12));
        // class 0 scores: pos {.7,.2,.6} vs neg {.1,.3,.1}: pairs won .7:3, .2:2 (beats .1,.1; loses .3), .6:3 → 8/9
        // class 1 scores: pos {.8,.3} vs neg {.2,.7,.3,.1}: .8 wins 4; .3 beats .2,.1, ties .3 (½), loses .7 → 2.5
        //                 → 6.5/8
        // class 2 scores: pos {.8} vs neg {.1,.1,.1,.1,.4} → 1
        assertThat(m.auc()).isCloseTo((8.0 / 9 + 6.5 / 8 + 1) / 3, within(1e-12));
    }

    @Test
    void balancedAccuracySkipsClassesAbsentFromTheTruth() {
        int[][] confusion = {{3, 1}, {0, 0}};
        assertThat(ClassificationMetrics.balancedAccuracy(confusion)).isCloseTo(0.75, within(1e-12));
        assertThat(ClassificationMetrics.accuracy(confusion)).isCloseTo(0.75, within(1e-12));
        assertThat(ClassificationMetrics.balancedAccuracy(new int[][] {{0, 0}, {0, 0}})).isNaN();
    }

    @Test
    void binaryMacroAucEqualsTheSecondClassAuc() {
        int[] truth = {0, 1, 1, 0, 1};
        double[][] p = {{0.9, 0.1}, {0.4, 0.6}, {0.6, 0.4}, {0.3, 0.7}, {0.2, 0.8}};
        boolean[] pos = {false, true, true, false, true};
        double binary = ClassificationMetrics.auc(pos, new double[] {0.1, 0.6, 0.4, 0.7, 0.8});
        // positives .6,.4,.8 vs negatives .1,.7: .6 → 1, .4 → 1, .8 → 2 → 4/6
        assertThat(binary).isCloseTo(4.0 / 6, within(1e-12));
        assertThat(ClassificationMetrics.of(truth, p, 2).auc()).isCloseTo(binary, within(1e-12));
    }
}
