package io.nnft.inference.prediction;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.nnft.network.Networks;
import io.nnft.network.PlainConvUNet;
import io.nnft.network.PlainConvUNetConfig;
import io.nnft.network.UsageTrackingParameterStore;
import io.nnft.planning.Plans;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** A 2d configuration predicts every slice of the first axis with 2d tiles, as nnU-Net's predictor does. */
class TwoDimensionalPredictionTest {

    @Test
    void slicesAreTiledInPlane() {
        Plans plans = Plans.read(FixtureModel.modelFolder().resolve("plans.json"));
        // slim widths keep the test fast; the topology (2d convs, strides) is the plan's
        PlainConvUNetConfig config = PlainConvUNetConfig.fromPlans(plans.json(), "2d", 2, false, "plans.json")
                .withFeaturesPerStage(new int[] {4, 8, 16, 32});
        try (NDManager manager = Networks.engine().newBaseManager()) {
            PlainConvUNet net = Networks.create(config, manager);
            int[] shape = {3, 32, 40};
            float[] x = SlidingWindowPredictorTest.random(3 * 32 * 40, 9);
            SlidingWindowPredictor p = new SlidingWindowPredictor(List.of(net), manager, new int[] {32, 32},
                    new PredictionSettings(0.5, true, false, new int[] {0, 1}, 2));
            // 40 along x: tiles at 0 and 8, per slice
            assertThat(p.tiles(new int[] {3, 32, 40})).hasSize(6);
            float[][] logits = p.predictLogits(new float[][] {x}, shape);
            assertThat(logits).hasNumberOfRows(2);
            assertThat(logits[0]).hasSize(3 * 32 * 40);
            // x < 8 of slice 2 is seen by the first tile only: equals the network on that tile
            float[] tile = new float[32 * 32];
            SlidingWindowPredictor.copyTile(x, shape, new int[] {2, 0, 0}, new int[] {1, 32, 32}, tile, 0, true);
            float[] direct;
            try (NDManager m = manager.newSubManager()) {
                direct = Networks.noGrad(() -> net.forward(new UsageTrackingParameterStore(manager),
                        new NDList(m.create(tile, new Shape(1, 1, 32, 32))), false).singletonOrThrow().toFloatArray());
            }
            for (int y = 0; y < 32; y += 5) {
                for (int xx = 0; xx < 8; xx++) {
                    assertThat((double) logits[1][(2 * 32 + y) * 40 + xx])
                            .isCloseTo(direct[32 * 32 + y * 32 + xx], within(1e-4));
                }
            }
            // mirroring over the two in-plane axes runs too
            float[][] mirrored = new SlidingWindowPredictor(List.of(net), manager, new int[] {32, 32},
                    new PredictionSettings(0.5, true, true, new int[] {0, 1}, 2)).predictLogits(new float[][] {x}, shape);
            assertThat(mirrored[0]).hasSize(3 * 32 * 40);
        }
    }
}
