package io.nnft.planning;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExperimentPlannerTest {

    @ParameterizedTest
    @CsvSource({
            "plans/a_hippocampus_like, Dataset501_HippocampusLike",
            "plans/b_prostate_like, Dataset502_ProstateLike",
            "plans/e_tiny_iso, Dataset505_TinyIso",
            "preprocess/ct, Dataset511_PrepCT"})
    void plansEqualNnunet(String dir, String ignoredName) throws Exception {
        Path expectedFile = Fixtures.path(dir + "/nnUNetPlans.json");
        Plans expected = Plans.read(expectedFile);
        PlannerInputs in = PlannerInputs.read(Fixtures.path(dir + "/dataset.json"),
                Fixtures.path(dir + "/dataset_fingerprint.json"), expected.datasetName());
        Plans ours = new ExperimentPlanner(in).plan();

        assertThat(JsonTreeDiff.firstDifference(expected.json(), ours.json(), 1e-6)).isEmpty();
        // and byte for byte as nnU-Net writes it
        assertThat(ours.toJsonString()).isEqualTo(Files.readString(expectedFile));
    }

    @Test
    void diffReportsThePath() {
        Plans p = Plans.read(Fixtures.path("plans/e_tiny_iso/nnUNetPlans.json"));
        ObjectNode changed = p.json();
        ((ObjectNode) changed.get("configurations").get("3d_fullres")).put("batch_size", 3);
        assertThat(JsonTreeDiff.firstDifference(p.json(), changed, 1e-6))
                .hasValueSatisfying(s -> assertThat(s).startsWith("$.configurations.3d_fullres.batch_size: expected 2"));
        ObjectNode asInt = p.json();
        ((com.fasterxml.jackson.databind.node.ArrayNode) asInt.get("configurations").get("3d_fullres")
                .get("median_image_size_in_voxels")).set(0, 32);
        assertThat(JsonTreeDiff.firstDifference(p.json(), asInt, 1e-6)).isPresent();
    }

    @ParameterizedTest
    @CsvSource({"1, 2.0, 5.6", "2, 0.3, 0.50001", "0, 6.0, 6.0"})
    void anisotropicTargetSpacingUsesTenthPercentile(int fineCases, double fineSpacing, double expected) {
        // 10 cases, thin in-plane (0.5 mm), 20 slices of 6 mm except `fineCases` at `fineSpacing`:
        // median 6 > 3 * 0.5 and 20 * 3 < 400, so the out-of-plane axis takes numpy's 10th percentile
        // (virtual index 0.9 between the two smallest), never below the in-plane spacing (+1e-5)
        double[][] spacings = new double[10][];
        int[][] shapes = new int[10][];
        for (int i = 0; i < 10; i++) {
            spacings[i] = new double[]{0.5, i < fineCases ? fineSpacing : 6.0, 0.5};
            shapes[i] = new int[]{400, 20, 400};
        }
        Fingerprint fp = new Fingerprint(java.util.List.of(new IntensityProperties(1, 1, 1, 0, 2, 0, 2)), 1.0,
                shapes, spacings);
        PlannerInputs in = new PlannerInputs("Dataset999_X", java.util.List.of("MRI"), 2, 10, "SimpleITKIO", false, fp);
        ExperimentPlanner planner = new ExperimentPlanner(in);
        assertThat(planner.fullresTargetSpacing()[1]).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(planner.fullresTargetSpacing()[0]).isEqualTo(0.5);
        // the coarse axis is moved first
        assertThat(planner.transpose()[0]).containsExactly(1, 0, 2);
        assertThat(planner.transpose()[1]).containsExactly(1, 0, 2);
        Plans p = planner.plan();
        assertThat(p.configuration("3d_fullres").spacing()[0]).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(p.originalMedianShapeAfterTranspose()).containsExactly(20, 400, 400);
    }

    @Test
    void lowresAndCascadeForLargeImages() {
        // large isotropic images: the fullres patch covers far less than 25% -> 3d_lowres + cascade
        double[][] spacings = new double[4][];
        int[][] shapes = new int[4][];
        for (int i = 0; i < 4; i++) {
            spacings[i] = new double[]{1.0, 1.0, 1.0};
            shapes[i] = new int[]{400, 400, 400};
        }
        Fingerprint fp = new Fingerprint(java.util.List.of(new IntensityProperties(1, 1, 1, 0, 2, 0, 2)), 1.0,
                shapes, spacings);
        PlannerInputs in = new PlannerInputs("Dataset998_Big", java.util.List.of("CT"), 3, 4, "SimpleITKIO", false, fp);
        Plans p = new ExperimentPlanner(in).plan();
        assertThat(p.configurationNames()).containsExactly("2d", "3d_lowres", "3d_fullres", "3d_cascade_fullres");
        ConfigurationPlan low = p.configuration("3d_lowres");
        assertThat(low.batchDice()).isFalse();
        assertThat(low.nextStages()).containsExactly("3d_cascade_fullres");
        assertThat(low.spacing()[0]).isGreaterThan(1.5);
        assertThat(low.dataIdentifier()).isEqualTo("nnUNetPlans_3d_lowres");
        assertThat(p.json().get("configurations").get("3d_lowres").get("median_image_size_in_voxels").get(0)
                .isIntegralNumber()).isTrue();
        assertThat(p.configuration("3d_fullres").batchDice()).isTrue();
        ConfigurationPlan cascade = p.configuration("3d_cascade_fullres");
        assertThat(cascade.previousStage()).contains("3d_lowres");
        assertThat(cascade.patchSize()).containsExactly(p.configuration("3d_fullres").patchSize());
        // values cross-checked against a numpy transcription of nnU-Net's planner (no nnU-Net fixture has a
        // 3d_lowres): spacing grows by 1.03 per step until the patch covers a quarter of the image
        assertThat(low.spacing()).containsExactly(1.9735865111266062, 1.9735865111266062, 1.9735865111266062);
        assertThat(low.patchSize()).containsExactly(128, 128, 128);
        assertThat(low.batchSize()).isEqualTo(2);
        assertThat(p.configuration("3d_fullres").patchSize()).containsExactly(128, 128, 128);
        assertThat(p.configuration("2d").patchSize()).containsExactly(448, 448);
        assertThat(p.configuration("2d").batchSize()).isEqualTo(16);
    }

    @Test
    void anisotropicLowres() {
        // 5 cases, thick slices: 10th percentile rule gives 3.4 mm; lowres only coarsens the in-plane axes
        double[][] spacings = {{5.0, 0.7, 0.7}, {4.0, 0.75, 0.75}, {5.0, 0.68, 0.68}, {3.0, 0.8, 0.8}, {5.0, 0.7, 0.7}};
        int[][] shapes = {{100, 512, 512}, {120, 500, 500}, {90, 512, 512}, {150, 480, 480}, {101, 512, 512}};
        Fingerprint fp = new Fingerprint(java.util.List.of(new IntensityProperties(100, 99, 50, -50, 1000, 0, 500)),
                0.8, shapes, spacings);
        PlannerInputs in = new PlannerInputs("Dataset997_Aniso", java.util.List.of("CT"), 2, 5, "SimpleITKIO", false, fp);
        Plans p = new ExperimentPlanner(in).plan();
        ConfigurationPlan full = p.configuration("3d_fullres");
        assertThat(full.spacing()).containsExactly(3.4, 0.7, 0.7);
        assertThat(full.patchSize()).containsExactly(48, 192, 192);
        ConfigurationPlan low = p.configuration("3d_lowres");
        assertThat(low.spacing()).containsExactly(3.4, 1.50961388728069, 1.50961388728069);
        assertThat(low.patchSize()).containsExactly(80, 160, 160);
        assertThat(low.batchSize()).isEqualTo(2);
        assertThat(p.configuration("2d").patchSize()).containsExactly(512, 512);
        assertThat(p.configuration("2d").batchSize()).isEqualTo(12);
    }

    @Test
    void badInputNamesFileAndKey(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path dj = dir.resolve("dataset.json");
        Files.writeString(dj, "{\"channel_names\":{\"0\":\"CT\"},\"labels\":{\"background\":0,\"a\":1},"
                + "\"file_ending\":\".nii.gz\"}");
        assertThatThrownBy(() -> PlannerInputs.read(dj, Fixtures.path("preprocess/ct/dataset_fingerprint.json"), "Dataset001_X"))
                .isInstanceOf(PlansException.class).hasMessageContaining("dataset.json").hasMessageContaining("numTraining");
        Files.writeString(dj, "{\"channel_names\":{\"0\":\"CT\",\"1\":\"T2\"},\"labels\":{\"background\":0,\"a\":1},"
                + "\"numTraining\":3,\"file_ending\":\".nii.gz\"}");
        assertThatThrownBy(() -> PlannerInputs.read(dj, Fixtures.path("preprocess/ct/dataset_fingerprint.json"), "Dataset001_X"))
                .hasMessageContaining("2 channels");
    }

    @Test
    void maskForNormOnlyForZScoreWhenCroppingRemovedMuch() throws Exception {
        Fingerprint base = Fingerprint.read(Fixtures.path("preprocess/ct/dataset_fingerprint.json"));
        Fingerprint cropped = new Fingerprint(java.util.List.of(base.foregroundIntensityPropertiesPerChannel().get(0),
                base.foregroundIntensityPropertiesPerChannel().get(0), base.foregroundIntensityPropertiesPerChannel().get(0)),
                0.5, base.shapesAfterCrop(), base.spacings());
        PlannerInputs in = new PlannerInputs("Dataset996_M", java.util.List.of("CT", "T1", "noNorm"), 2, 3,
                "NibabelIO", false, cropped);
        ConfigurationPlan c = new ExperimentPlanner(in).plan().configuration("3d_fullres");
        assertThat(c.normalizationSchemes()).containsExactly("CTNormalization", "ZScoreNormalization", "NoNormalization");
        assertThat(c.useMaskForNorm()).containsExactly(false, true, false);

        // median relative size 1.0 but dataset.json asks for it
        Fingerprint uncropped = new Fingerprint(cropped.foregroundIntensityPropertiesPerChannel(), 1.0,
                base.shapesAfterCrop(), base.spacings());
        PlannerInputs forced = new PlannerInputs("Dataset996_M", java.util.List.of("CT", "T1", "noNorm"), 2, 3,
                "NibabelIO", true, uncropped);
        assertThat(new ExperimentPlanner(forced).plan().configuration("2d").useMaskForNorm()).containsExactly(false, true, false);
        PlannerInputs not = new PlannerInputs("Dataset996_M", java.util.List.of("CT", "T1", "noNorm"), 2, 3,
                "NibabelIO", false, uncropped);
        assertThat(new ExperimentPlanner(not).plan().configuration("2d").useMaskForNorm()).containsExactly(false, false, false);
    }

    @Test
    void readerWriterFromFileEndingOrOverride() {
        assertThat(PlannerInputs.readerWriterFor(".nii.gz", "d")).isEqualTo("SimpleITKIO");
        assertThat(PlannerInputs.readerWriterFor(".png", "d")).isEqualTo("NaturalImage2DIO");
        assertThatThrownBy(() -> PlannerInputs.readerWriterFor(".xyz", "d.json"))
                .hasMessageContaining("d.json.file_ending").hasMessageContaining(".xyz");
        // the ct fixture's dataset.json overrides it with NibabelIO, which the plans then carry
        PlannerInputs ct = PlannerInputs.read(Fixtures.path("preprocess/ct/dataset.json"),
                Fixtures.path("preprocess/ct/dataset_fingerprint.json"), "Dataset511_PrepCT");
        assertThat(ct.imageReaderWriter()).isEqualTo("NibabelIO");
    }

    @Test
    void datasetNameDefaultsToTheFolderOrTheJsonName(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path named = dir.resolve("Dataset123_Liver");
        Files.createDirectories(named);
        Files.copy(Fixtures.path("preprocess/ct/dataset.json"), named.resolve("dataset.json"));
        Path fp = Fixtures.path("preprocess/ct/dataset_fingerprint.json");
        assertThat(PlannerInputs.read(named.resolve("dataset.json"), fp, null).datasetName()).isEqualTo("Dataset123_Liver");
        assertThat(PlannerInputs.read(Fixtures.path("preprocess/ct/dataset.json"), fp, null).datasetName()).isEqualTo("PrepCT");
        assertThat(PlannerInputs.read(named.resolve("dataset.json"), fp, "Dataset001_Other").datasetName())
                .isEqualTo("Dataset001_Other");
    }
}
