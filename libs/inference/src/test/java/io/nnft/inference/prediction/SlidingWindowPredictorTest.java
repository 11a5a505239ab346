package io.nnft.inference.prediction;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.nnft.imageio.NdArray;
import io.nnft.imageio.Npy;
import io.nnft.network.Networks;
import io.nnft.network.PlainConvUNet;
import io.nnft.network.UsageTrackingParameterStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SlidingWindowPredictorTest {
    private static TrainedModel model;

    @BeforeAll
    static void open() throws IOException {
        model = TrainedModel.open(FixtureModel.modelFolder(), List.of("0"), "checkpoint_final.pth");
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void modelFolderAsNnUNetWroteIt() {
        assertThat(model.configuration()).isEqualTo("3d_fullres");
        assertThat(model.patchSize()).containsExactly(32, 32, 32);
        assertThat(model.mirrorAxes()).containsExactly(0, 1, 2);
        assertThat(model.labels().numSegmentationHeads()).isEqualTo(2);
    }

    @Test
    void oneTileWithoutMirroringGivesNnUNetsLogits() throws IOException {
        NdArray input = Npy.read(FixtureModel.resource("e_tiny_iso/input.npy"));
        NdArray expected = Npy.read(FixtureModel.resource("e_tiny_iso/output_logits.npy"));
        SlidingWindowPredictor p = predictor(PredictionSettings.defaults(model.mirrorAxes()).withMirroring(false));
        float[][] logits = p.predictLogits(new float[][] {input.toFloats()}, new int[] {32, 32, 32});
        float[] ref = expected.toFloats();
        int n = 32 * 32 * 32;
        double maxDiff = 0;
        for (int h = 0; h < 2; h++) {
            for (int i = 0; i < n; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(logits[h][i] - ref[h * n + i]));
            }
        }
        // the Gaussian weight cancels on a single tile; float32 vs nnU-Net's float64-checked reference: ~1e-5
        assertThat(maxDiff).isLessThan(1e-4);
    }

    @Test
    void mirroringAveragesTheFlippedPredictions() {
        float[] x = random(32 * 32 * 32, 7);
        float[][] mirrored = predictor(PredictionSettings.defaults(model.mirrorAxes())).predictLogits(
                new float[][] {x}, new int[] {32, 32, 32});
        // by hand: mean over the 8 flips f of flip_f(net(flip_f(x)))
        PlainConvUNet net = model.networks().get(0);
        float[] expected;
        try (NDManager m = model.manager().newSubManager()) {
            expected = Networks.noGrad(() -> {
                NDArray in = m.create(x, new Shape(1, 1, 32, 32, 32));
                UsageTrackingParameterStore ps = new UsageTrackingParameterStore(model.manager());
                NDArray sum = net.forward(ps, new NDList(in), false).singletonOrThrow();
                int[][] flips = {{2}, {3}, {4}, {2, 3}, {2, 4}, {3, 4}, {2, 3, 4}};
                for (int[] f : flips) {
                    sum = sum.add(net.forward(ps, new NDList(in.flip(f)), false).singletonOrThrow().flip(f));
                }
                return sum.div(8).toFloatArray();
            });
        }
        int n = 32 * 32 * 32;
        double maxDiff = 0;
        for (int h = 0; h < 2; h++) {
            for (int i = 0; i < n; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(mirrored[h][i] - expected[h * n + i]));
            }
        }
        assertThat(maxDiff).isLessThan(1e-4);
        float[][] plain = predictor(PredictionSettings.defaults(model.mirrorAxes()).withMirroring(false))
                .predictLogits(new float[][] {x}, new int[] {32, 32, 32});
        assertThat(plain[1]).isNotEqualTo(mirrored[1]);
    }

    @Test
    void overlappingTilesAreGaussianWeightedAverages() {
        // 48 along x: two tiles (0 and 16); where only the first tile reaches (x < 16) the result is that tile's logits
        int[] shape = {32, 32, 48};
        float[] x = random(32 * 32 * 48, 3);
        SlidingWindowPredictor p = predictor(new PredictionSettings(0.5, true, false, new int[0], 1));
        float[][] logits = p.predictLogits(new float[][] {x}, shape);
        float[] tile = new float[32 * 32 * 32];
        SlidingWindowPredictor.copyTile(x, shape, new int[] {0, 0, 0}, new int[] {32, 32, 32}, tile, 0, true);
        float[][] first = p.predictLogits(new float[][] {tile}, new int[] {32, 32, 32});
        assertThat((double) logits[0][(5 * 32 + 7) * 48 + 3]).isCloseTo(first[0][(5 * 32 + 7) * 32 + 3],
                org.assertj.core.api.Assertions.within(1e-4));
        // batching tiles changes nothing
        float[][] batched = predictor(new PredictionSettings(0.5, true, false, new int[0], 4))
                .predictLogits(new float[][] {x}, shape);
        for (int i = 0; i < logits[0].length; i += 97) {
            assertThat((double) batched[1][i]).isCloseTo(logits[1][i], org.assertj.core.api.Assertions.within(1e-4));
        }
    }

    @Test
    void progressIsToldPerBatchAndCanStopThePrediction() {
        // 48 x 48 x 48 at patch 32, step 0.5: 2 x 2 x 2 = 8 tiles, in batches of 3 -> told after 3, 6, 8
        int[] shape = {48, 48, 48};
        float[] x = random(48 * 48 * 48, 5);
        SlidingWindowPredictor p = predictor(new PredictionSettings(0.5, true, false, new int[0], 3));
        List<int[]> told = new java.util.ArrayList<>();
        p.predictLogits(new float[][] {x}, shape, (done, total) -> told.add(new int[] {done, total}));
        assertThat(told).extracting(t -> t[0]).containsExactly(3, 6, 8);
        assertThat(told).extracting(t -> t[1]).containsOnly(8);

        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> p.predictLogits(new float[][] {x}, shape, (done, total) -> done < 3))
                .isInstanceOf(PredictionCancelledException.class)
                .hasMessage("prediction stopped after 3 of 8 tiles");
    }

    @Test
    void aTrainingNetworkKeepsItsDeepSupervisionSetting() {
        PlainConvUNet net = model.networks().get(0);
        float[] x = random(32 * 32 * 32, 1);
        float[][] off = predictor(PredictionSettings.defaults(model.mirrorAxes()).withMirroring(false))
                .predictLogits(new float[][] {x}, new int[] {32, 32, 32});
        net.setDeepSupervision(true);
        try {
            float[][] on = predictor(PredictionSettings.defaults(model.mirrorAxes()).withMirroring(false))
                    .predictLogits(new float[][] {x}, new int[] {32, 32, 32});
            assertThat(net.deepSupervision()).isTrue();
            assertThat(on[1]).containsExactly(off[1]);
        } finally {
            net.setDeepSupervision(false);
        }
    }

    private static SlidingWindowPredictor predictor(PredictionSettings s) {
        return new SlidingWindowPredictor(model.networks(), model.manager(), model.patchSize(), s);
    }

    static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) r.nextGaussian();
        }
        return f;
    }
}
