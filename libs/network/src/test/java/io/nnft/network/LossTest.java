package io.nnft.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** DC_and_CE against a double-precision loop of nnU-Net's formulas, with batch dice and an ignore label. */
class LossTest {
    private static final int N = 2, C = 3, V = 40;

    /** Reference: nnU-Net's DC_and_CE_loss written out per voxel. */
    private static double reference(float[] logits, int[] target, boolean batchDice, Integer ignore) {
        double[][] inter = new double[N][C], pred = new double[N][C], gt = new double[N][C];
        double ce = 0;
        int counted = 0;
        for (int n = 0; n < N; n++) {
            for (int v = 0; v < V; v++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < C; c++) {
                    max = Math.max(max, logits[(n * C + c) * V + v]);
                }
                double z = 0;
                for (int c = 0; c < C; c++) {
                    z += Math.exp(logits[(n * C + c) * V + v] - max);
                }
                int t = target[n * V + v];
                boolean keep = ignore == null || t != ignore;
                int diceLabel = keep ? t : 0;
                for (int c = 0; c < C; c++) {
                    double p = Math.exp(logits[(n * C + c) * V + v] - max) / z;
                    double m = keep ? 1 : 0;
                    inter[n][c] += p * (diceLabel == c ? 1 : 0) * m;
                    pred[n][c] += p * m;
                    gt[n][c] += (diceLabel == c ? 1 : 0) * m;
                }
                if (keep) {
                    ce -= logits[(n * C + t) * V + v] - max - Math.log(z);
                    counted++;
                }
            }
        }
        double dice = 0;
        int terms = 0;
        for (int c = 1; c < C; c++) {
            if (batchDice) {
                double i = 0, p = 0, g = 0;
                for (int n = 0; n < N; n++) {
                    i += inter[n][c];
                    p += pred[n][c];
                    g += gt[n][c];
                }
                dice += (2 * i + 1e-5) / Math.max(g + p + 1e-5, 1e-8);
                terms++;
            } else {
                for (int n = 0; n < N; n++) {
                    dice += (2 * inter[n][c] + 1e-5) / Math.max(gt[n][c] + pred[n][c] + 1e-5, 1e-8);
                    terms++;
                }
            }
        }
        return ce / counted - dice / terms;
    }

    @Test
    void matchesReferenceWithAndWithoutBatchDiceAndIgnoreLabel() {
        Random r = new Random(7);
        float[] logits = new float[N * C * V];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) r.nextGaussian() * 2;
        }
        int[] target = new int[N * V];
        for (int i = 0; i < target.length; i++) {
            target[i] = r.nextInt(C + 1); // label C is the ignore label when one is set
        }
        int[] noIgnore = target.clone();
        for (int i = 0; i < noIgnore.length; i++) {
            noIgnore[i] %= C;
        }
        try (NDManager m = Networks.engine().newBaseManager()) {
            NDArray x = m.create(logits, new Shape(N, C, 5, 8));
            for (boolean batchDice : new boolean[] {false, true}) {
                double ours = DiceCeLoss.nnUNetDefault(batchDice, null)
                        .loss(x, m.create(noIgnore, new Shape(N, 1, 5, 8))).getFloat();
                assertThat(ours).as("batch_dice=%s", batchDice)
                        .isCloseTo(reference(logits, noIgnore, batchDice, null), within(1e-5));
                double withIgnore = DiceCeLoss.nnUNetDefault(batchDice, C)
                        .loss(x, m.create(target, new Shape(N, 1, 5, 8))).getFloat();
                assertThat(withIgnore).as("batch_dice=%s, ignore label %d", batchDice, C)
                        .isCloseTo(reference(logits, target, batchDice, C), within(1e-5));
            }
        }
    }

    @Test
    void perOutputTermsOfTheFixtureMatchNnUNet() throws Exception {
        try (NDManager m = Networks.engine().newBaseManager()) {
            PlainConvUNet net = Networks.create(Fixtures.tinyConfig(true), m);
            StateDict.load(net, Fixtures.npz("train_step/e_tiny_iso/initial.npz"), "initial.npz");
            NDArray x = Networks.toNDArray(m, Fixtures.npy("train_step/e_tiny_iso/input.npy"));
            NDArray[] out = net.forwardOutputs(new UsageTrackingParameterStore(m), x, true, new boolean[] {true, true, false});
            assertThat(out[2]).isNull();
            double[][] expected = {{0.6534809470176697, -0.20286941528320312}, {1.0093061923980713, -0.23267638683319092}};
            for (int i = 0; i < 2; i++) {
                NDArray t = Networks.toNDArray(m, Fixtures.npy("train_step/e_tiny_iso/target_ds_" + i + ".npy"));
                DiceCeLoss.Terms terms = DiceCeLoss.nnUNetDefault(false, null).terms(out[i], t);
                assertThat((double) terms.ce().getFloat()).as("CE of output %d", i).isCloseTo(expected[i][0], within(1e-5));
                assertThat((double) terms.dice().getFloat()).as("dice of output %d", i).isCloseTo(expected[i][1], within(1e-5));
            }
        }
    }
}
