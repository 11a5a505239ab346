package io.nnft.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.nnft.imageio.NdArray;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The fixture network (weights of checkpoint_final.pth = initial.npz) reproduces nnU-Net's logits and skips. */
class PlainConvUNetForwardTest {

    @Test
    void logitsAndSkipsMatchNnUNet() throws Exception {
        try (NDManager manager = Networks.engine().newBaseManager()) {
            PlainConvUNet net = Networks.create(Fixtures.tinyConfig(false), manager);
            StateDict.load(net, Fixtures.npz("train_step/e_tiny_iso/initial.npz"), "initial.npz");
            NDArray x = Networks.toNDArray(manager, Fixtures.npy("checkpoint/e_tiny_iso/input.npy"));
            ParameterStore ps = new ParameterStore(manager, false);

            NDList logits = net.forward(ps, new NDList(x), false);
            NdArray expected = Fixtures.npy("checkpoint/e_tiny_iso/output_logits.npy");
            assertThat(logits).hasSize(1);
            assertThat(logits.get(0).getShape().getShape()).containsExactly(expected.shape());
            assertThat(Fixtures.maxAbsDiff(logits.get(0).toFloatArray(), expected.toFloats())).isLessThan(1e-4f);

            NDList skips = net.encoder().forward(ps, new NDList(x), false);
            assertThat(skips).hasSize(4);
            for (int i = 0; i < 4; i++) {
                NdArray skip = Fixtures.npy("checkpoint/e_tiny_iso/skip_" + i + ".npy");
                assertThat(skips.get(i).getShape().getShape()).as("skip %d", i).containsExactly(skip.shape());
                assertThat(Fixtures.maxAbsDiff(skips.get(i).toFloatArray(), skip.toFloats())).as("skip %d", i)
                        .isLessThan(1e-4f);
            }
        }
    }

    @Test
    void deepSupervisionReturnsOneOutputPerDecoderStageFullResolutionFirst() throws Exception {
        try (NDManager manager = Networks.engine().newBaseManager()) {
            PlainConvUNet net = Networks.create(Fixtures.tinyConfig(true), manager);
            NDArray x = manager.randomNormal(new ai.djl.ndarray.types.Shape(1, 1, 32, 32, 32));
            NDList out = net.forward(new ParameterStore(manager, false), new NDList(x), true);
            assertThat(out).hasSize(3);
            assertThat(out.get(0).getShape().getShape()).containsExactly(1, 2, 32, 32, 32);
            assertThat(out.get(1).getShape().getShape()).containsExactly(1, 2, 16, 16, 16);
            assertThat(out.get(2).getShape().getShape()).containsExactly(1, 2, 8, 8, 8);
            assertThat(net.getOutputShapes(new ai.djl.ndarray.types.Shape[] {x.getShape()}))
                    .extracting(s -> s.get(2)).containsExactly(32L, 16L, 8L);
        }
    }
}
