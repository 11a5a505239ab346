package io.nnft.export;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.nnft.checkpoint.NnUNetCheckpoint;
import io.nnft.checkpoint.SafeTensors;
import io.nnft.imageio.NdArray;
import io.nnft.imageio.Npy;
import io.nnft.network.CheckpointNetworks;
import io.nnft.network.Networks;
import io.nnft.network.PlainConvEncoder;
import io.nnft.network.PlainConvUNetConfig;
import io.nnft.network.StateDict;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Loadable by DJL": encoder.safetensors, loaded into a freshly built PlainConvEncoder (libs/network, DJL's
 * PyTorch engine) using nothing but the manifest's key prefix, reproduces nnU-Net's own encoder outputs
 * (skip_0..3.npy of the fixture).
 */
class ExportedEncoderInDjlTest {

    @Test
    void exportedEncoderReproducesNnUNetsSkips(@TempDir Path dir) throws Exception {
        NnUNetCheckpoint checkpoint = NnUNetCheckpoint.read(Fixtures.checkpoint());
        ExportResult result = EncoderExporter.export(checkpoint, "fixture", dir, ExportOptions.of("fixture"));
        String prefix = result.manifest().path("encoder").path("key_prefix").asText();

        Map<String, NdArray> weights = new LinkedHashMap<>();
        SafeTensors.read(dir.resolve("encoder.safetensors")).tensors()
                .forEach((k, v) -> weights.put(k.substring(prefix.length()), v));
        PlainConvUNetConfig config = CheckpointNetworks.config(checkpoint, false, "fixture");
        try (NDManager manager = Networks.engine().newBaseManager()) {
            PlainConvEncoder encoder = new PlainConvEncoder(config);
            encoder.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 32, 32, 32));
            StateDict.load(encoder, weights, "encoder.safetensors");

            NDArray x = Networks.toNDArray(manager, Npy.read(Fixtures.resource("checkpoint/e_tiny_iso/input.npy")));
            NDList skips = encoder.forward(new ParameterStore(manager, false), new NDList(x), false);
            assertThat(skips).hasSize(4);
            for (int s = 0; s < 4; s++) {
                NdArray expected = Npy.read(Fixtures.resource("checkpoint/e_tiny_iso/skip_" + s + ".npy"));
                assertThat(skips.get(s).getShape().getShape()).as("skip %d", s).containsExactly(expected.shape());
                float[] a = skips.get(s).toFloatArray();
                float[] e = expected.toFloats();
                float max = 0;
                for (int i = 0; i < a.length; i++) {
                    max = Math.max(max, Math.abs(a[i] - e[i]));
                }
                assertThat(max).as("skip %d max |diff|", s).isLessThan(1e-4f);
            }
        }
    }
}
