package io.nnft.network;

import ai.djl.ndarray.NDManager;
import io.nnft.imageio.NdArray;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Our parameter names are nnU-Net's state-dict keys, in nnU-Net's order, aliases included on export. */
class StateDictTest {

    /** "key\t[shape]" lines of a state_dict_keys*.txt fixture. */
    private static List<String> keyShapeLines(String resource, int skipHeader) throws Exception {
        List<String> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(Fixtures.resource(resource));
        for (String line : lines.subList(skipHeader, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t");
            out.add(skipHeader == 0 ? f[0] + "\t" + f[1] : f[1] + "\t" + f[2]);
        }
        return out;
    }

    private static List<String> ours(List<NamedParameter> params) {
        List<String> out = new ArrayList<>();
        for (NamedParameter p : params) {
            out.add(p.key() + "\t" + Arrays.toString(p.parameter().getShape().getShape()));
        }
        return out;
    }

    @Test
    void slimNetworkHasNnUNetsKeysShapesAndOrder() throws Exception {
        try (NDManager manager = Networks.engine().newBaseManager()) {
            PlainConvUNet net = Networks.create(Fixtures.tinyConfig(false), manager);
            assertThat(ours(StateDict.nnUNetKeys(net)))
                    .containsExactlyElementsOf(keyShapeLines("checkpoint/e_tiny_iso/state_dict_keys.txt", 0))
                    .hasSize(188);
            assertThat(ours(new ArrayList<>(StateDict.parameters(net).values())))
                    .containsExactlyElementsOf(keyShapeLines("checkpoint/e_tiny_iso/optimizer_param_index.txt", 1))
                    .hasSize(68);
        }
    }

    @Test
    void fullWidthPlanHasNnUNetsKeysAndShapes() throws Exception {
        PlainConvUNetConfig c = PlainConvUNetConfig.fromPlans(Fixtures.resource("plans/e_tiny_iso/nnUNetPlans.json"),
                "3d_fullres", 2, true);
        assertThat(c.featuresPerStage()).containsExactly(32, 64, 128, 256);
        try (NDManager manager = Networks.engine().newBaseManager()) {
            assertThat(ours(StateDict.nnUNetKeys(Networks.create(c, manager)))).containsExactlyElementsOf(
                    keyShapeLines("checkpoint/e_tiny_iso/state_dict_keys_fullwidth_3d_fullres.txt", 0));
        }
    }

    @Test
    void exportWithAliasesThenImportIsBitIdentical() throws Exception {
        try (NDManager manager = Networks.engine().newBaseManager()) {
            PlainConvUNet a = Networks.create(Fixtures.tinyConfig(false), manager);
            Map<String, NdArray> initial = Fixtures.npz("train_step/e_tiny_iso/initial.npz");
            StateDict.load(a, initial, "initial.npz");
            LinkedHashMap<String, NdArray> full = StateDict.exportNnUNet(a);
            assertThat(full).hasSize(188);
            assertThat(full.get("decoder.encoder.stages.1.0.convs.0.all_modules.1.weight").toFloats())
                    .containsExactly(initial.get("encoder.stages.1.0.convs.0.norm.weight").toFloats());

            PlainConvUNet b = Networks.create(Fixtures.tinyConfig(false), manager);
            StateDict.load(b, full, "export");
            Map<String, NdArray> back = StateDict.exportCanonical(b);
            assertThat(back.keySet()).containsExactlyElementsOf(initial.keySet());
            for (String k : initial.keySet()) {
                assertThat(back.get(k).data()).as(k).isEqualTo(initial.get(k).data());
            }
        }
    }

    @Test
    void mismatchesAreAllListedWithExpectedAndFound() throws Exception {
        try (NDManager manager = Networks.engine().newBaseManager()) {
            PlainConvUNet net = Networks.create(Fixtures.tinyConfig(false), manager);
            Map<String, NdArray> w = new LinkedHashMap<>(Fixtures.npz("train_step/e_tiny_iso/initial.npz"));
            w.remove("decoder.transpconvs.0.bias");
            w.put("decoder.seg_layers.2.weight", NdArray.ofFloats(new long[] {3, 4, 1, 1, 1}, new float[12]));
            w.put("encoder.stages.9.0.convs.0.conv.weight", NdArray.ofFloats(new long[] {1}, new float[1]));
            assertThatThrownBy(() -> StateDict.load(net, w, "bad.pth"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("bad.pth")
                    .hasMessageContaining("3 problems")
                    .hasMessageContaining("missing decoder.transpconvs.0.bias (expected shape (16))")
                    .hasMessageContaining("decoder.seg_layers.2.weight: expected shape (2, 4, 1, 1, 1), found [3, 4, 1, 1, 1]")
                    .hasMessageContaining("unexpected encoder.stages.9.0.convs.0.conv.weight");
        }
    }

    @Test
    void aliasKeysMapToCanonicalOnes() {
        assertThat(StateDict.canonicalKey("decoder.encoder.stages.0.0.convs.1.all_modules.0.bias"))
                .isEqualTo("encoder.stages.0.0.convs.1.conv.bias");
        assertThat(StateDict.canonicalKey("decoder.stages.2.convs.0.all_modules.1.weight"))
                .isEqualTo("decoder.stages.2.convs.0.norm.weight");
        assertThat(StateDict.canonicalKey("decoder.seg_layers.0.weight")).isEqualTo("decoder.seg_layers.0.weight");
    }
}
