package io.nnft.planning;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlansTransferTest {

    private static PlannerInputs downstream(String dir, String name) {
        return PlannerInputs.read(Fixtures.path(dir + "/dataset.json"), Fixtures.path(dir + "/dataset_fingerprint.json"),
                name);
    }

    @Test
    void sameKindOfDataIsCompatibleAndKeepsPretrainedSettings() {
        PretrainedPlans pre = PretrainedPlans.locate(Fixtures.path("checkpoint/plans.json"));
        PlannerInputs down = downstream("plans/e_tiny_iso", "Dataset777_Downstream");
        PlansTransfer.Result r = PlansTransfer.transfer(pre.plans(), pre.datasetJson(), down, "nnUNetPlans", null);

        Plans p = r.plansOrThrow();
        assertThat(p.datasetName()).isEqualTo("Dataset777_Downstream");
        assertThat(p.plansName()).isEqualTo("nnUNetPlans");
        // pretrained plans were "nnUNetPlans_slim": identifiers follow the new plans name
        assertThat(p.configuration("3d_fullres").dataIdentifier()).isEqualTo("nnUNetPlans_3d_fullres");
        // architecture and intensity statistics are the pretrained ones
        assertThat(p.configuration("3d_fullres").archKwargs())
                .isEqualTo(pre.plans().configuration("3d_fullres").archKwargs());
        assertThat(p.foregroundIntensityProperties(0)).isEqualTo(pre.plans().foregroundIntensityProperties(0));
        assertThat(p.json().get("configurations").get("3d_fullres").get("patch_size"))
                .isEqualTo(pre.plans().json().get("configurations").get("3d_fullres").get("patch_size"));

        CompatibilityReport rep = r.report();
        assertThat(rep.compatible()).isTrue();
        assertThat(rep.mismatches()).isEmpty();
        assertThat(rep.configuration()).isEqualTo("3d_fullres");
        assertThat(rep.labels().segmentationHeadsReinitialised()).isFalse();
        assertThat(rep.patch().valid()).isTrue();
        assertThat(rep.patch().mustBeDivisibleBy()).containsExactly(8, 8, 8);
        assertThat(rep.channels()).hasSize(1);
        assertThat(rep.channels().get(0).keptIntensity()).isEqualTo(pre.plans().foregroundIntensityProperties(0));
        assertThat(rep.channels().get(0).downstreamIntensity())
                .isEqualTo(down.fingerprint().foregroundIntensityPropertiesPerChannel().get(0));
        assertThat(rep.spacing().maxRelativeDifference()).isZero();
    }

    @Test
    void differentLabelsAndSpacingAreWarningsNotErrors() {
        PretrainedPlans pre = PretrainedPlans.locate(Fixtures.path("checkpoint/plans.json"));
        // a_hippocampus_like: 1 MRI channel, 3 labels instead of 2, spacing 1 mm
        CompatibilityReport rep = PlansTransfer.transfer(pre.plans(), pre.datasetJson(),
                downstream("plans/a_hippocampus_like", "Dataset501_HippocampusLike"), null, "3d_fullres").report();
        assertThat(rep.compatible()).isTrue();
        assertThat(rep.labels().pretrained()).isEqualTo(2);
        assertThat(rep.labels().downstream()).isEqualTo(3);
        assertThat(rep.labels().segmentationHeadsReinitialised()).isTrue();
        assertThat(rep.warnings()).extracting(Finding::key).contains("labels");
    }

    @Test
    void incompatiblePairListsEveryMismatch(@TempDir Path tmp) {
        PretrainedPlans pre = PretrainedPlans.locate(Fixtures.path("checkpoint/plans.json"));
        // induce a patch size the strides cannot divide (3 poolings on each axis -> multiple of 8)
        ObjectNode tree = pre.plans().json();
        ((ArrayNode) tree.get("configurations").get("3d_fullres").get("patch_size")).set(0, 28);
        Plans broken = Plans.of(tree, "plans.json");
        // downstream: 2 channels (T2, ADC), anisotropic spacing
        PlannerInputs down = downstream("plans/b_prostate_like", "Dataset502_ProstateLike");

        PlansTransfer.Result r = PlansTransfer.transfer(broken, pre.datasetJson(), down, null, null);
        CompatibilityReport rep = r.report();
        assertThat(rep.compatible()).isFalse();
        assertThat(rep.mismatches()).extracting(Finding::key)
                .containsExactlyInAnyOrder("channel_names", "patch_size");
        Finding channels = rep.mismatches().stream().filter(m -> m.key().equals("channel_names")).findFirst().orElseThrow();
        assertThat(channels.pretrained().asInt()).isEqualTo(1);
        assertThat(channels.downstream().asInt()).isEqualTo(2);
        assertThat(rep.warnings()).extracting(Finding::key).contains("spacing", "labels",
                "foreground_intensity_properties_per_channel.0.mean", "foreground_intensity_properties_per_channel.0.std");
        assertThat(rep.spacing().downstreamTarget()[0]).isGreaterThan(3);

        assertThatThrownBy(r::plansOrThrow).isInstanceOf(IncompatiblePlansException.class)
                .hasMessageContaining("channel_names: pretrained 1, downstream 2")
                .hasMessageContaining("patch_size: pretrained [28,32,32]");

        // the report is JSON and reads back
        Path file = tmp.resolve("compatibility_report.json");
        rep.write(file);
        CompatibilityReport back = CompatibilityReport.read(file);
        assertThat(back.mismatches()).extracting(Finding::key).containsExactlyInAnyOrder("channel_names", "patch_size");
        assertThat(back.compatible()).isFalse();
    }

    @Test
    void ctModelOnMriDataIsANormalizationMismatch() {
        Plans ct = Plans.read(Fixtures.path("preprocess/ct/nnUNetPlans.json"));
        CompatibilityReport rep = PlansTransfer.transfer(ct, null,
                downstream("plans/e_tiny_iso", "Dataset505_TinyIso"), null, null).report();
        assertThat(rep.compatible()).isFalse();
        Finding f = rep.mismatches().get(0);
        assertThat(f.key()).isEqualTo("normalization_schemes[0]");
        assertThat(f.pretrained().asText()).isEqualTo("CTNormalization");
        assertThat(f.downstream().asText()).isEqualTo("ZScoreNormalization");
        // no pretrained dataset.json: heads are re-initialised to be safe
        assertThat(rep.labels().pretrained()).isNull();
        assertThat(rep.labels().segmentationHeadsReinitialised()).isTrue();
    }
}
