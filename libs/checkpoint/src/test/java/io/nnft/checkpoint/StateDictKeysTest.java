package io.nnft.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nnft.imageio.NdArray;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StateDictKeysTest {
    private static List<String> canonical() {
        return Fixtures.paramLines().stream().map(Fixtures.ParamLine::name).toList();
    }

    private static List<String> names(String file) {
        return Fixtures.keyLines(file).stream().map(Fixtures.KeyLine::name).toList();
    }

    @Test
    void expandGivesNnUNetsKeysInOrderForSlimAndFullWidthNetworks() {
        assertThat(StateDictKeys.expand(canonical())).containsExactlyElementsOf(names("state_dict_keys.txt"));
        assertThat(StateDictKeys.expand(canonical()))
                .containsExactlyElementsOf(names("state_dict_keys_fullwidth_3d_fullres.txt"));
    }

    @Test
    void expandOrderDoesNotDependOnInputOrder() {
        List<String> shuffled = new ArrayList<>(canonical());
        Collections.shuffle(shuffled, new Random(7));
        assertThat(StateDictKeys.expand(shuffled)).containsExactlyElementsOf(names("state_dict_keys.txt"));
    }

    @Test
    void expandFollowsTheRuleForOtherTopologies() {
        // 2 stages, 1 conv per stage, no conv bias: the rule, not a copy of the fixture
        List<String> keys = List.of("encoder.stages.0.0.convs.0.conv.weight", "encoder.stages.0.0.convs.0.norm.weight",
                "encoder.stages.0.0.convs.0.norm.bias", "encoder.stages.1.0.convs.0.conv.weight",
                "encoder.stages.1.0.convs.0.norm.weight", "encoder.stages.1.0.convs.0.norm.bias",
                "decoder.stages.0.convs.0.conv.weight", "decoder.stages.0.convs.0.norm.weight",
                "decoder.stages.0.convs.0.norm.bias", "decoder.transpconvs.0.weight", "decoder.transpconvs.0.bias",
                "decoder.seg_layers.0.weight", "decoder.seg_layers.0.bias");
        List<String> full = StateDictKeys.expand(keys);
        assertThat(full).hasSize(6 * 2 * 2 + 3 * 2 + 4); // encoder ×2 aliases ×2 decoder.encoder, decoder stage ×2
        assertThat(full.subList(0, 6)).containsExactly("encoder.stages.0.0.convs.0.conv.weight",
                "encoder.stages.0.0.convs.0.norm.weight", "encoder.stages.0.0.convs.0.norm.bias",
                "encoder.stages.0.0.convs.0.all_modules.0.weight", "encoder.stages.0.0.convs.0.all_modules.1.weight",
                "encoder.stages.0.0.convs.0.all_modules.1.bias");
        assertThat(full.get(12)).isEqualTo("decoder.encoder.stages.0.0.convs.0.conv.weight");
        assertThat(full.subList(full.size() - 4, full.size())).containsExactly("decoder.transpconvs.0.weight",
                "decoder.transpconvs.0.bias", "decoder.seg_layers.0.weight", "decoder.seg_layers.0.bias");
    }

    @Test
    void canonicalNamesOfAliases() {
        assertThat(StateDictKeys.canonicalName("decoder.encoder.stages.1.0.convs.1.all_modules.0.weight"))
                .isEqualTo("encoder.stages.1.0.convs.1.conv.weight");
        assertThat(StateDictKeys.canonicalName("decoder.stages.2.convs.0.all_modules.1.bias"))
                .isEqualTo("decoder.stages.2.convs.0.norm.bias");
        assertThat(StateDictKeys.isAlias("decoder.seg_layers.0.weight")).isFalse();
        assertThat(StateDictKeys.isAlias("decoder.encoder.stages.0.0.convs.0.conv.weight")).isTrue();
    }

    @Test
    void canonicalizeThenExpandRestoresTheStateDict() {
        Map<String, NdArray> canonical = new LinkedHashMap<>();
        float v = 0;
        for (String k : canonical()) {
            canonical.put(k, NdArray.ofFloats(new long[] {2}, new float[] {v++, -v}));
        }
        Map<String, NdArray> full = StateDictKeys.expand(canonical);
        assertThat(full.keySet()).containsExactlyElementsOf(names("state_dict_keys.txt"));
        assertThat(StateDictKeys.canonicalize(full)).containsExactlyEntriesOf(canonical);
    }

    @Test
    void canonicalizeRefusesAnAliasThatDiffersFromItsTwin() {
        Map<String, NdArray> full = new LinkedHashMap<>();
        full.put("encoder.stages.0.0.convs.0.conv.bias", NdArray.ofFloats(new long[] {2}, new float[] {1, 2}));
        full.put("encoder.stages.0.0.convs.0.all_modules.0.bias", NdArray.ofFloats(new long[] {2}, new float[] {1, 3}));
        assertThatThrownBy(() -> StateDictKeys.canonicalize(full))
                .hasMessageContaining("encoder.stages.0.0.convs.0.all_modules.0.bias")
                .hasMessageContaining("encoder.stages.0.0.convs.0.conv.bias").hasMessageContaining("values differ");
        full.put("encoder.stages.0.0.convs.0.all_modules.0.bias", NdArray.ofFloats(new long[] {1, 2}, new float[] {1, 2}));
        assertThatThrownBy(() -> StateDictKeys.canonicalize(full)).hasMessageContaining("shape is [1, 2] instead of [2]");
    }

    @Test
    void canonicalizeRefusesAnAliasWithoutTwin() {
        Map<String, NdArray> full = Map.of("decoder.encoder.stages.0.0.convs.0.conv.bias",
                NdArray.ofFloats(new long[] {1}, new float[] {1}));
        assertThatThrownBy(() -> StateDictKeys.canonicalize(full))
                .hasMessageContaining("alias of 'encoder.stages.0.0.convs.0.conv.bias', which is missing");
    }

    @Test
    void expandRefusesAliasesAndForeignModules() {
        assertThatThrownBy(() -> StateDictKeys.expand(List.of("decoder.encoder.stages.0.0.convs.0.conv.weight")))
                .hasMessageContaining("found alias");
        assertThatThrownBy(() -> StateDictKeys.expand(List.of("encoder.stages.0.0.convs.0.conv.weight", "head.fc.weight")))
                .hasMessageContaining("'head'");
    }
}
