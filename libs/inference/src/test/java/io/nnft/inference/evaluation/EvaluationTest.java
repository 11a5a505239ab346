package io.nnft.inference.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nnft.imageio.NdArray;
import io.nnft.imageio.Nifti;
import io.nnft.imageio.NiftiImage;
import io.nnft.inference.LabelLayout;
import io.nnft.inference.LabelOrRegion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class EvaluationTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final LabelOrRegion L1 = LabelOrRegion.label(1);
    private static final LabelOrRegion L2 = LabelOrRegion.label(2);

    @Test
    void countsAndDiceOfHandMadeMasks() {
        // 2x2x3 volume (12 voxels)
        int[] ref = {0, 1, 1, 1, 0, 0, 2, 2, 0, 0, 0, 0};
        int[] pred = {0, 1, 1, 0, 1, 0, 2, 0, 0, 2, 2, 0};
        Map<LabelOrRegion, ConfusionCounts> m = SegmentationMetrics.compute(ref, pred, List.of(L1, L2), null);
        // label 1: ref {1,2,3}, pred {1,2,4}: tp 2, fp 1, fn 1, tn 8 -> Dice 4/6, IoU 2/4
        assertThat(m.get(L1)).isEqualTo(new ConfusionCounts(2, 1, 1, 8));
        assertThat(m.get(L1).dice()).isCloseTo(4.0 / 6, within(1e-12));
        assertThat(m.get(L1).iou()).isCloseTo(0.5, within(1e-12));
        // label 2: ref {6,7}, pred {6,9,10}: tp 1, fp 2, fn 1, tn 8 -> Dice 2/5, IoU 1/4
        assertThat(m.get(L2)).isEqualTo(new ConfusionCounts(1, 2, 1, 8));
        assertThat(m.get(L2).dice()).isCloseTo(0.4, within(1e-12));
        assertThat(m.get(L2).iou()).isCloseTo(0.25, within(1e-12));
        assertThat(m.get(L2).nPred()).isEqualTo(3);
        assertThat(m.get(L2).nRef()).isEqualTo(2);
    }

    @Test
    void regionsAndIgnoreLabel() {
        int[] ref = {0, 1, 2, 2, 9, 9};
        int[] pred = {1, 1, 1, 2, 2, 0};
        LabelOrRegion whole = LabelOrRegion.region(1, 2);
        Map<LabelOrRegion, ConfusionCounts> m = SegmentationMetrics.compute(ref, pred, List.of(whole), 9);
        // voxels 4 and 5 are ignored; region {1,2}: ref {1,2,3}, pred {0,1,2,3}: tp 3, fp 1
        assertThat(m.get(whole)).isEqualTo(new ConfusionCounts(3, 1, 0, 0));
        assertThat(m.get(whole).dice()).isCloseTo(6.0 / 7, within(1e-12));
        assertThat(whole.key()).isEqualTo("(1, 2)");
        assertThat(LabelOrRegion.region(3).key()).isEqualTo("(3,)");
    }

    @Test
    void emptyReferenceAndEmptyPredictionGiveNanThatTheMeanSkips(@TempDir Path dir) throws IOException {
        Path ref = Files.createDirectories(dir.resolve("ref"));
        Path pred = Files.createDirectories(dir.resolve("pred"));
        long[] shape = {2, 2, 3};
        // case a: label 1 Dice 4/6, label 2 Dice 2/5
        write(ref.resolve("a.nii.gz"), shape, 0, 1, 1, 1, 0, 0, 2, 2, 0, 0, 0, 0);
        write(pred.resolve("a.nii.gz"), shape, 0, 1, 1, 0, 1, 0, 2, 0, 0, 2, 2, 0);
        // case b: label 1 perfect (Dice 1), label 2 absent from both -> NaN
        write(ref.resolve("b.nii.gz"), shape, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        write(pred.resolve("b.nii.gz"), shape, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        JsonNode ds = MAPPER.readTree("{\"labels\": {\"background\": 0, \"a\": 1, \"b\": 2}, \"file_ending\": \".nii.gz\"}");
        EvaluationSummary s = FolderEvaluation.run(FolderEvaluation.options(ref, pred, ds, "dataset.json", 2, false));

        assertThat(s.perCase()).hasSize(2);
        assertThat(s.perCase().get(1).metrics().get(L2).dice()).isNaN();
        assertThat(s.mean(L1, "Dice")).isCloseTo((4.0 / 6 + 1.0) / 2, within(1e-12));
        // nanmean: only case a counts for label 2
        assertThat(s.mean(L2, "Dice")).isCloseTo(0.4, within(1e-12));
        // counts are averaged over both cases (they are never NaN)
        assertThat(s.mean(L2, "TP")).isCloseTo(0.5, within(1e-12));
        assertThat(s.foregroundMeanDice()).isCloseTo(((4.0 / 6 + 1.0) / 2 + 0.4) / 2, within(1e-12));

        Path out = dir.resolve("summary.json");
        s.write(out);
        String text = Files.readString(out);
        assertThat(text).startsWith("{\n    \"foreground_mean\": {\n        \"Dice\": ");
        assertThat(text).contains("\"Dice\": NaN");
        JsonNode json = MAPPER.readTree(text.replace("NaN", "null"));
        assertThat(json.get("mean").fieldNames()).toIterable().containsExactly("1", "2");
        JsonNode a1 = json.get("metric_per_case").get(0).get("metrics").get("1");
        assertThat(a1.fieldNames()).toIterable()
                .containsExactly("Dice", "FN", "FP", "IoU", "TN", "TP", "n_pred", "n_ref");
        assertThat(a1.get("TP").isIntegralNumber()).isTrue();
        assertThat(a1.get("TP").asLong()).isEqualTo(2);
        assertThat(json.get("metric_per_case").get(0).get("reference_file").asText()).endsWith("a.nii.gz");
    }

    @Test
    void missingPredictionIsReportedUnlessChill(@TempDir Path dir) throws IOException {
        Path ref = Files.createDirectories(dir.resolve("ref"));
        Path pred = Files.createDirectories(dir.resolve("pred"));
        long[] shape = {1, 1, 2};
        write(ref.resolve("a.nii.gz"), shape, 0, 1);
        write(ref.resolve("b.nii.gz"), shape, 0, 1);
        write(pred.resolve("a.nii.gz"), shape, 1, 1);
        JsonNode ds = MAPPER.readTree("{\"labels\": {\"background\": 0, \"a\": 1}, \"file_ending\": \".nii.gz\"}");
        assertThatThrownBy(() -> FolderEvaluation.run(FolderEvaluation.options(ref, pred, ds, "ds", 1, false)))
                .hasMessageContaining("missing 1: [b.nii.gz]");
        EvaluationSummary s = FolderEvaluation.run(FolderEvaluation.options(ref, pred, ds, "ds", 1, true));
        assertThat(s.foregroundMeanDice()).isCloseTo(2.0 / 3, within(1e-12));
    }

    @Test
    void shapeMismatchNamesTheFiles(@TempDir Path dir) throws IOException {
        Path ref = Files.createDirectories(dir.resolve("ref"));
        Path pred = Files.createDirectories(dir.resolve("pred"));
        write(ref.resolve("a.nii.gz"), new long[] {1, 1, 2}, 0, 1);
        write(pred.resolve("a.nii.gz"), new long[] {1, 2, 1}, 0, 1);
        JsonNode ds = MAPPER.readTree("{\"labels\": {\"background\": 0, \"a\": 1}, \"file_ending\": \".nii.gz\"}");
        assertThatThrownBy(() -> FolderEvaluation.run(FolderEvaluation.options(ref, pred, ds, "ds", 1, false)))
                .hasMessageContaining("a.nii.gz").hasMessageContaining("differs from the reference");
    }

    @Test
    void regionLayoutFromDatasetJson() throws IOException {
        JsonNode ds = MAPPER.readTree("{\"labels\": {\"background\": 0, \"whole\": [1, 2, 3], \"core\": [2, 3],"
                + " \"enhancing\": 3}, \"regions_class_order\": [1, 2, 3]}");
        LabelLayout l = LabelLayout.fromDatasetJson(ds, "ds");
        assertThat(l.hasRegions()).isTrue();
        assertThat(l.numSegmentationHeads()).isEqualTo(3);
        assertThat(l.labelsOrRegionsToEvaluate()).extracting(LabelOrRegion::key)
                .containsExactly("(1, 2, 3)", "(2, 3)", "3");
    }

    private static void write(Path file, long[] shape, int... labels) throws IOException {
        byte[] b = new byte[labels.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) labels[i];
        }
        Nifti.write(file, NiftiImage.of(NdArray.ofBytes(shape, b), new double[] {1, 1, 1}));
    }
}
