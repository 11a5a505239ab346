package io.nnft.inference.prediction;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nnft.inference.LabelLayout;
import io.nnft.preprocessing.CaseProperties;
import io.nnft.preprocessing.Parallel;
import io.nnft.preprocessing.cropping.CropBox;
import io.nnft.preprocessing.resampling.ResamplingKwargs;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PredictionExportTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    // original (z, y, x) = (4, 5, 6); transpose_forward [2, 0, 1] gives (6, 4, 5)
    private static final int[] FORWARD = {2, 0, 1};
    private static final int[] BACKWARD = {1, 2, 0};
    private static final CropBox BOX = new CropBox(new int[] {1, 0, 2}, new int[] {5, 4, 5});
    private static final int[] CROPPED = {4, 4, 3};

    @Test
    void argmaxIsPutBackIntoTheBoxAndTransposedBack() throws Exception {
        LabelLayout labels = LabelLayout.fromDatasetJson(MAPPER.readTree(
                "{\"labels\": {\"background\": 0, \"organ\": 1, \"tumour\": 2}}"), "ds");
        int n = 4 * 4 * 3;
        float[][] logits = new float[3][n];
        // cropped voxel (t0, t1, t2) = (2, 3, 1) is label 2, (0, 0, 0) label 1, the rest background
        int a = (2 * 4 + 3) * 3 + 1;
        logits[2][a] = 5;
        logits[1][0] = 3;
        ExportedPrediction p = PredictionExport.export(logits, CROPPED, props(), plan(labels), true, Parallel.SEQUENTIAL);
        assertThat(p.shape()).containsExactly(4, 5, 6);
        // transposed (t0, t1, t2) = original (x, z, y); box adds (1, 0, 2)
        assertThat(p.segmentation()[orig(3 + 0, 1 + 2, 2 + 1)]).isEqualTo((short) 2);
        assertThat(p.segmentation()[orig(0, 2, 1)]).isEqualTo((short) 1);
        int nonZero = 0;
        for (short s : p.segmentation()) {
            nonZero += s != 0 ? 1 : 0;
        }
        assertThat(nonZero).isEqualTo(2);
        // softmax: background probability of a background voxel inside the box is 1/3 (all logits 0)
        assertThat((double) p.probabilities()[0][orig(1, 2, 1)]).isCloseTo(1.0 / 3, within(1e-6));
        // outside the box: background 1 (nnU-Net's revert_cropping_on_probabilities)
        assertThat(p.probabilities()[0][orig(0, 0, 0)]).isEqualTo(1f);
        assertThat(p.probabilities()[2][orig(3, 3, 3)]).isGreaterThan(0.98f);
    }

    @Test
    void regionsFollowRegionsClassOrder() throws Exception {
        LabelLayout labels = LabelLayout.fromDatasetJson(MAPPER.readTree("{\"labels\": {\"background\": 0, "
                + "\"whole\": [1, 2], \"core\": 2}, \"regions_class_order\": [1, 2]}"), "ds");
        int n = 4 * 4 * 3;
        float[][] logits = new float[2][n];
        java.util.Arrays.fill(logits[0], -4);
        java.util.Arrays.fill(logits[1], -4);
        logits[0][5] = 2;          // whole only -> 1
        logits[0][7] = 2;          // whole and core -> 2 (later region wins)
        logits[1][7] = 1;
        logits[1][9] = 1;          // core only -> 2
        ExportedPrediction p = PredictionExport.export(logits, CROPPED, props(), plan(labels), false, Parallel.SEQUENTIAL);
        assertThat(p.segmentation()[origOfCropped(5)]).isEqualTo((short) 1);
        assertThat(p.segmentation()[origOfCropped(7)]).isEqualTo((short) 2);
        assertThat(p.segmentation()[origOfCropped(9)]).isEqualTo((short) 2);
        assertThat(p.segmentation()[origOfCropped(6)]).isZero();
        assertThat(p.probabilities()).isNull();
    }

    @Test
    void logitsAreResampledBackToTheCroppedShape() throws Exception {
        LabelLayout labels = LabelLayout.fromDatasetJson(MAPPER.readTree(
                "{\"labels\": {\"background\": 0, \"organ\": 1}}"), "ds");
        // the configuration is at 2 mm: a (2, 2, 2) logit grid, foreground in the upper half of the first axis
        float[][] logits = new float[2][8];
        for (int i = 0; i < 8; i++) {
            logits[1][i] = i < 4 ? -10 : 10;
        }
        ExportPlan plan = new ExportPlan("3d_fullres", new int[] {0, 1, 2}, new int[] {0, 1, 2}, new double[] {2, 2, 2},
                new ResamplingKwargs(false, 1, 0, null), labels);
        CaseProperties props = new CaseProperties(null, new double[] {1, 1, 1}, new int[] {4, 4, 4},
                new CropBox(new int[] {0, 0, 0}, new int[] {4, 4, 4}), new int[] {4, 4, 4}, null);
        ExportedPrediction p = PredictionExport.export(logits, new int[] {2, 2, 2}, props, plan, false, Parallel.SEQUENTIAL);
        assertThat(p.shape()).containsExactly(4, 4, 4);
        // linear resampling (skimage, edge mode): z = 0, 1, 2, 3 sample the grid at -0.25, 0.25, 0.75, 1.25,
        // i.e. logits -10, -5, 5, 10
        assertThat(p.segmentation()[0]).isZero();
        assertThat(p.segmentation()[16]).isZero();
        assertThat(p.segmentation()[2 * 16 + 5]).isEqualTo((short) 1);
        assertThat(p.segmentation()[3 * 16 + 15]).isEqualTo((short) 1);
    }

    private static ExportPlan plan(LabelLayout labels) {
        return new ExportPlan("3d_fullres", FORWARD, BACKWARD, new double[] {1, 1, 1},
                new ResamplingKwargs(false, 1, 0, null), labels);
    }

    private static CaseProperties props() {
        return new CaseProperties(null, new double[] {1, 1, 1}, new int[] {6, 4, 5}, BOX, CROPPED, null);
    }

    /** Row-major index in the original (4, 5, 6) array. */
    private static int orig(int z, int y, int x) {
        return (z * 5 + y) * 6 + x;
    }

    /** Original index of cropped, transposed voxel i. */
    private static int origOfCropped(int i) {
        int t2 = i % 3;
        int t1 = (i / 3) % 4;
        int t0 = i / 12;
        // transposed = (x, z, y) shifted by the box
        return orig(t1 + 0, t2 + 2, t0 + 1);
    }
}
