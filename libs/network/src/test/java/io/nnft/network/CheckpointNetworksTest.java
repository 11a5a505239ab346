package io.nnft.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.nnft.checkpoint.NnUNetCheckpoint;
import io.nnft.imageio.NdArray;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** nnU-Net's own checkpoint_final.pth → our network and optimizer state. */
class CheckpointNetworksTest {
    private static final String CKPT = "checkpoint/e_tiny_iso/checkpoint_final.pth";

    @Test
    void checkpointNetworkReproducesNnUNetLogits() throws Exception {
        NnUNetCheckpoint ckpt = NnUNetCheckpoint.read(Fixtures.resource(CKPT));
        try (NDManager m = Networks.engine().newBaseManager()) {
            PlainConvUNet net = CheckpointNetworks.network(ckpt, m, false, CKPT);
            assertThat(net.config().numSegmentationHeads()).isEqualTo(2);
            NDArray x = Networks.toNDArray(m, Fixtures.npy("checkpoint/e_tiny_iso/input.npy"));
            NDArray logits = net.forward(new UsageTrackingParameterStore(m), new NDList(x), false).singletonOrThrow();
            assertThat(Fixtures.maxAbsDiff(logits.toFloatArray(),
                    Fixtures.npy("checkpoint/e_tiny_iso/output_logits.npy").toFloats())).isLessThan(1e-4f);
            // Our full export has the checkpoint's 188 keys in the checkpoint's order.
            assertThat(StateDict.exportNnUNet(net).keySet())
                    .containsExactlyElementsOf(ckpt.networkWeights().keySet()).hasSize(188);
        }
    }

    @Test
    void momentumBuffersRoundTripByOptimizerIndex() throws Exception {
        NnUNetCheckpoint ckpt = NnUNetCheckpoint.read(Fixtures.resource(CKPT));
        List<String> lines = Files.readAllLines(Fixtures.resource("checkpoint/e_tiny_iso/optimizer_param_index.txt"));
        long withBuffer = lines.stream().skip(1).filter(l -> l.endsWith("\tyes")).count();
        try (NDManager m = Networks.engine().newBaseManager()) {
            PlainConvUNet net = CheckpointNetworks.network(ckpt, m, true, CKPT);
            NesterovSgd sgd = NesterovSgd.nnUNetDefault(m, List.of(ParamGroup.all(1e-2)));
            List<NamedParameter> order = new ArrayList<>(StateDict.parameters(net).values());
            sgd.restore(ckpt.optimizerState(), order, CKPT);
            Map<String, NdArray> byKey = sgd.exportMomentumBuffers();
            assertThat(byKey).hasSize((int) withBuffer).doesNotContainKey("decoder.seg_layers.0.weight");
            Map<Integer, NdArray> back = sgd.state(order).momentumBuffers();
            assertThat(back.keySet()).containsExactlyElementsOf(ckpt.optimizerState().momentumBuffers().keySet());
            for (Map.Entry<Integer, NdArray> e : back.entrySet()) {
                assertThat(e.getValue().toFloats()).as("buffer %d", e.getKey())
                        .containsExactly(ckpt.optimizerState().momentumBuffer(e.getKey()).toFloats());
            }
        }
    }
}
