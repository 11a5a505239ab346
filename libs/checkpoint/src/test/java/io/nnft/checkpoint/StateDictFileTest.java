package io.nnft.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.nnft.checkpoint.pickle.PyOrderedDict;
import io.nnft.imageio.NdArray;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDictFileTest {
    @TempDir
    Path dir;

    @Test
    void plainStateDictRoundTripsWithOnlyWeightsOnlyGlobals() throws Exception {
        Map<String, NdArray> weights = NnUNetCheckpoint.read(Fixtures.checkpoint()).networkWeights();
        Path out = dir.resolve("state_dict.pth");
        StateDictFile.write(out, weights);

        // torch.load(weights_only=True) allows exactly these (and the storage classes)
        assertThat(PickleOps.globals(PickleOps.dataPkl(out))).containsExactlyInAnyOrder("collections OrderedDict",
                "torch._utils _rebuild_tensor_v2", "torch FloatStorage");
        Map<String, NdArray> back = StateDictFile.read(out);
        assertThat(new ArrayList<>(back.keySet())).containsExactlyElementsOf(weights.keySet());
        weights.forEach((k, v) -> {
            assertThat(back.get(k).shape()).as(k).isEqualTo(v.shape());
            assertThat(back.get(k).data()).as(k).isEqualTo(v.data());
        });
        // same _metadata as nnU-Net's own state_dict
        PyOrderedDict ours = (PyOrderedDict) TorchSerialization.load(out);
        PyOrderedDict theirs = (PyOrderedDict) ((Map<?, ?>) TorchSerialization.load(Fixtures.checkpoint())).get("network_weights");
        NnUNetCheckpointWriteTest.assertDeepEqual(theirs.metadata(), ours.metadata(), "_metadata");
    }

    @Test
    void readOfAFullCheckpointGivesItsNetworkWeights() throws Exception {
        assertThat(StateDictFile.read(Fixtures.checkpoint())).hasSize(188);
    }

    @Test
    void foreignKeysAreWrittenWithoutMetadata() throws Exception {
        Path out = dir.resolve("head.pth");
        StateDictFile.write(out, Map.of("head.fc.weight", NdArray.ofFloats(new long[] {1, 2}, new float[] {1, 2})));
        PyOrderedDict d = (PyOrderedDict) TorchSerialization.load(out);
        assertThat(d.metadata()).isNull();
        assertThat(((NdArray) d.get("head.fc.weight")).toFloats()).containsExactly(1, 2);
    }
}
