package io.nnft.planning;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlansTest {

    @Test
    void readsProstatePlans() {
        Plans p = Plans.read(Fixtures.path("plans/b_prostate_like/nnUNetPlans.json"));
        assertThat(p.datasetName()).isEqualTo("Dataset502_ProstateLike");
        assertThat(p.plansName()).isEqualTo("nnUNetPlans");
        assertThat(p.transposeForward()).containsExactly(0, 1, 2);
        assertThat(p.transposeBackward()).containsExactly(0, 1, 2);
        assertThat(p.originalMedianSpacingAfterTranspose())
                .containsExactly(3.5999999046325684, 0.6200000047683716, 0.6200000047683716);
        assertThat(p.configurationNames()).containsExactly("2d", "3d_fullres");
        IntensityProperties ch1 = p.foregroundIntensityProperties(1);
        assertThat(ch1.mean()).isEqualTo(1054.1);
        assertThat(ch1.percentile00_5()).isEqualTo(5.0);
        assertThat(ch1.percentile99_5()).isEqualTo(1991.0);
        assertThat(ch1.std()).isEqualTo(374.4);

        ConfigurationPlan c = p.configuration("3d_fullres");
        assertThat(c.dataIdentifier()).isEqualTo("nnUNetPlans_3d_fullres");
        assertThat(c.preprocessorName()).isEqualTo("DefaultPreprocessor");
        assertThat(c.batchSize()).isEqualTo(2);
        assertThat(c.patchSize()).containsExactly(20, 320, 256);
        assertThat(c.medianImageSizeInVoxels()).containsExactly(20.0, 320.0, 320.0);
        assertThat(c.normalizationSchemes()).containsExactly("ZScoreNormalization", "ZScoreNormalization");
        assertThat(c.useMaskForNorm()).containsExactly(false, false);
        assertThat(c.resamplingFnData()).isEqualTo("resample_data_or_seg_to_shape");
        assertThat(c.resamplingFnSegKwargs().get("order").asInt()).isEqualTo(1);
        assertThat(c.resamplingFnDataKwargs().get("force_separate_z").isNull()).isTrue();
        assertThat(c.batchDice()).isFalse();
        assertThat(c.architectureClassName())
                .isEqualTo("dynamic_network_architectures.architectures.unet.PlainConvUNet");
        assertThat(c.archKwargs().get("n_stages").asInt()).isEqualTo(7);
        assertThat(c.poolOpKernelSizes()[1]).containsExactly(1, 2, 2);
        assertThat(c.convKernelSizes()[0]).containsExactly(1, 3, 3);
        assertThat(c.archKwargsRequiresImport()).containsExactly("conv_op", "norm_op", "dropout_op", "nonlin");
        assertThat(c.previousStage()).isEmpty();
        assertThat(c.nextStages()).isEmpty();
        assertThat(p.configuration("2d").batchDice()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"plans/a_hippocampus_like/nnUNetPlans.json", "plans/b_prostate_like/nnUNetPlans.json",
            "plans/e_tiny_iso/nnUNetPlans.json", "preprocess/ct/nnUNetPlans.json", "checkpoint/plans.json"})
    void writesBackByteForByteAsNnunet(String file) throws Exception {
        String original = Files.readString(Fixtures.path(file));
        Plans p = Plans.parse(original, file);
        assertThat(p.toJsonString()).isEqualTo(original);
        for (String name : p.configurationNames()) {
            ConfigurationPlan c = p.configuration(name);
            assertThat(c.patchSize()).hasSize(c.spacing().length);
        }
    }

    @Test
    void resolvesInheritanceLikePlansManager() throws Exception {
        Plans base = Plans.read(Fixtures.path("plans/e_tiny_iso/nnUNetPlans.json"));
        var tree = base.json();
        var configs = (com.fasterxml.jackson.databind.node.ObjectNode) tree.get("configurations");
        configs.putObject("3d_fullres_bs4").put("inherits_from", "3d_fullres").put("batch_size", 4);
        configs.putObject("3d_fullres_bs4_ps").put("inherits_from", "3d_fullres_bs4")
                .putArray("patch_size").add(16).add(16).add(16);
        Plans p = Plans.of(tree, "test");
        ConfigurationPlan c = p.configuration("3d_fullres_bs4_ps");
        assertThat(c.batchSize()).isEqualTo(4);
        assertThat(c.patchSize()).containsExactly(16, 16, 16);
        assertThat(c.dataIdentifier()).isEqualTo("nnUNetPlans_3d_fullres");
        // the tree itself is not modified by resolution
        assertThat(p.json().get("configurations").get("3d_fullres_bs4").size()).isEqualTo(2);
    }

    @Test
    void rejectsCyclesAndMissingKeys() {
        String cyclic = "{\"configurations\":{\"a\":{\"inherits_from\":\"b\"},\"b\":{\"inherits_from\":\"a\"}}}";
        assertThatThrownBy(() -> Plans.parse(cyclic, "cyc.json").configuration("a"))
                .isInstanceOf(PlansException.class).hasMessageContaining("circular");
        assertThatThrownBy(() -> Plans.parse("{\"configurations\":{}}", "x.json").configuration("3d_fullres"))
                .hasMessageContaining("'3d_fullres' not found");
        assertThatThrownBy(() -> Plans.parse("{\"configurations\":{}}", "x.json").datasetName())
                .hasMessageContaining("x.json").hasMessageContaining("dataset_name");
        assertThatThrownBy(() -> Plans.parse("[1]", "y.json")).hasMessageContaining("y.json");
        assertThatThrownBy(() -> Plans.read(Fixtures.path("plans/e_tiny_iso/nnUNetPlans.json"))
                .foregroundIntensityProperties(3)).hasMessageContaining("channel 3");
    }
}
