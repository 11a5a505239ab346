package io.nnft.inference.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nnft.imageio.NdArray;
import io.nnft.imageio.Nifti;
import io.nnft.imageio.NiftiImage;
import io.nnft.inference.LabelOrRegion;
import io.nnft.inference.evaluation.ConfusionCounts;
import io.nnft.inference.evaluation.SegmentationMetrics;
import io.nnft.inference.prediction.PredictionSettings;
import io.nnft.inference.prediction.TrainedModel;
import io.nnft.planning.Plans;
import io.nnft.preprocessing.DatasetLabels;
import io.nnft.preprocessing.DefaultPreprocessor;
import io.nnft.preprocessing.Parallel;
import io.nnft.preprocessing.PreprocessingPlan;
import io.nnft.preprocessing.RawCase;
import io.nnft.preprocessing.io.CaseWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class FinalValidationTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void predictsTheValidationCasesAndScoresThem(@TempDir Path dir) throws Exception {
        Path modelDir = Path.of(FinalValidationTest.class.getResource(
                "/e_tiny_iso/nnUNetTrainer__nnUNetPlans_slim__3d_fullres").toURI());
        Path gt = Files.createDirectories(dir.resolve("gt_segmentations"));
        Path pre = Files.createDirectories(dir.resolve("nnUNetPlans_3d_fullres"));
        try (TrainedModel model = TrainedModel.open(modelDir, List.of("0"), "checkpoint_final.pth")) {
            Plans plans = model.plans();
            DefaultPreprocessor preprocessor = new DefaultPreprocessor(PreprocessingPlan.of(plans, "3d_fullres",
                    DatasetLabels.fromDatasetJson(model.datasetJson(), "dataset.json")), Parallel.SEQUENTIAL);
            // case a: 1 mm (no resampling); case b: 1.5 mm in z (resampled to 1 mm and back)
            writeCase("a", new int[] {30, 36, 34}, new double[] {1, 1, 1}, 1, gt, pre, preprocessor);
            writeCase("b", new int[] {20, 34, 30}, new double[] {1.5, 1, 1}, 2, gt, pre, preprocessor);
            writeCase("c", new int[] {20, 20, 20}, new double[] {1, 1, 1}, 3, gt, pre, preprocessor);
            Files.writeString(dir.resolve("splits_final.json"),
                    "[{\"train\": [\"c\"], \"val\": [\"a\", \"b\"]}, {\"train\": [\"a\", \"b\"], \"val\": [\"c\"]}]");
            List<String> val = FinalValidation.validationCases(dir.resolve("splits_final.json"), 0);
            assertThat(val).containsExactly("a", "b");

            Path fold = dir.resolve("fold_0");
            FinalValidation.Result r = FinalValidation.run(new FinalValidation.Request(model.networks(), model.manager(),
                    plans, model.configuration(), model.datasetJson(), "dataset.json", pre, gt, val, fold,
                    PredictionSettings.defaults(model.mirrorAxes()), 2), null);

            assertThat(r.validationDir()).isEqualTo(fold.resolve("validation"));
            assertThat(Files.exists(fold.resolve("validation/c.nii.gz"))).isFalse();
            double diceSum = 0;
            for (String id : val) {
                NiftiImage p = Nifti.read(fold.resolve("validation/" + id + ".nii.gz"));
                NiftiImage ref = Nifti.read(gt.resolve(id + ".nii.gz"));
                assertThat(p.shape()).containsExactly(ref.shape());
                assertThat(p.spacing()).containsExactly(ref.spacing());
                assertThat(p.affine()).isDeepEqualTo(ref.affine());
                Map<LabelOrRegion, ConfusionCounts> m = SegmentationMetrics.compute(ref.data().toInts(),
                        p.data().toInts(), List.of(LabelOrRegion.label(1)), null);
                diceSum += m.get(LabelOrRegion.label(1)).dice();
            }
            assertThat(r.meanForegroundDice()).isCloseTo(diceSum / 2, within(1e-12));
            JsonNode summary = MAPPER.readTree(Files.readString(fold.resolve("validation/summary.json")).replace("NaN", "null"));
            assertThat(summary.get("metric_per_case")).hasSize(2);
            assertThat(summary.get("foreground_mean").get("Dice").asDouble()).isCloseTo(r.meanForegroundDice(), within(1e-12));
        }
    }

    @Test
    void missingSplitFoldIsNamed(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("splits_final.json"), "[{\"train\": [], \"val\": [\"a\"]}]");
        assertThatThrownBy(() -> FinalValidation.validationCases(dir.resolve("splits_final.json"), 3))
                .hasMessageContaining("fold 3").hasMessageContaining("1 folds");
    }

    /** A blob image and its label (blob > threshold), written raw (label) and preprocessed. */
    private static void writeCase(String id, int[] shape, double[] spacing, long seed, Path gt, Path pre,
                                  DefaultPreprocessor preprocessor) throws IOException {
        Random r = new Random(seed);
        int n = shape[0] * shape[1] * shape[2];
        float[] img = new float[n];
        short[] seg = new short[n];
        byte[] segBytes = new byte[n];
        int i = 0;
        for (int z = 0; z < shape[0]; z++) {
            for (int y = 0; y < shape[1]; y++) {
                for (int x = 0; x < shape[2]; x++) {
                    double dz = (z - shape[0] / 2.0) * spacing[0] / 7;
                    double dy = (y - shape[1] / 2.0) * spacing[1] / 7;
                    double dx = (x - shape[2] / 2.0) * spacing[2] / 7;
                    double blob = Math.exp(-(dz * dz + dy * dy + dx * dx));
                    img[i] = (float) (100 + 60 * blob + 8 * r.nextGaussian());
                    seg[i] = (short) (blob > 0.5 ? 1 : 0);
                    segBytes[i] = (byte) seg[i];
                    i++;
                }
            }
        }
        long[] ls = {shape[0], shape[1], shape[2]};
        Nifti.write(gt.resolve(id + ".nii.gz"), NiftiImage.of(NdArray.ofBytes(ls, segBytes), spacing));
        CaseWriter.write(pre, preprocessor.run(new RawCase(id, new float[][] {img}, shape, seg, spacing, null)));
    }

}
