package io.nnft.planning;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FingerprintExtractorTest {

    @Test
    void ctFingerprintIsBitIdenticalToNnunet() throws Exception {
        // raw/ holds imagesTr and labelsTr, dataset.json is one level up (found there)
        RawFolderCases raw = RawFolderCases.open(Fixtures.path("preprocess/ct/raw"));
        assertThat(raw.size()).isEqualTo(3);
        assertThat(raw.caseId(0)).isEqualTo("ct_000");
        assertThat(raw.numberOfChannels()).isEqualTo(1);
        // 3 cases -> 33333333 seeded samples per case; statistics reproduced exactly (tolerance 0)
        Fingerprint ours = new FingerprintExtractor(2).extract(raw);
        String expected = Files.readString(Fixtures.path("preprocess/ct/dataset_fingerprint.json"));
        assertThat(JsonTreeDiff.firstDifference(Json.parseObject(expected, "expected"), ours.toJson(), 0)).isEmpty();
        assertThat(ours.toJsonString()).isEqualTo(expected);
    }

    @Test
    void samplesPerCaseLikeNnunet() {
        assertThat(FingerprintExtractor.samplesPerCase(3)).isEqualTo(33333333);
        assertThat(FingerprintExtractor.samplesPerCase(50)).isEqualTo(2000000);
        assertThat(FingerprintExtractor.samplesPerCase(7)).isEqualTo(14285714);
    }

    @Test
    void cropAndForegroundOnAHandMadeCase() {
        // 4x4x4, nonzero only in z 1..2, y 1..3, x 2..3; foreground label in two voxels, one outside the crop
        int[] shape = {4, 4, 4};
        float[] img = new float[64];
        float[] seg = new float[64];
        for (int z = 1; z <= 2; z++) {
            for (int y = 1; y <= 3; y++) {
                for (int x = 2; x <= 3; x++) {
                    img[(z * 4 + y) * 4 + x] = 10 * z + y + 0.5f * x;
                }
            }
        }
        seg[(1 * 4 + 1) * 4 + 2] = 1;
        seg[(2 * 4 + 3) * 4 + 3] = 2;
        seg[0] = 1; // outside the nonzero box: dropped like nnU-Net's crop
        CaseFingerprint f = CaseAnalyzer.analyze(new CaseData("c", new float[][]{img}, seg, shape,
                new double[]{2, 1, 1}), 10);
        assertThat(f.shapeAfterCrop()).containsExactly(2, 3, 2);
        assertThat(f.relativeSizeAfterCropping()).isEqualTo(12 / 64.0);
        assertThat(f.foreground().get(0).size()).isEqualTo(2);
        assertThat(f.foreground().get(0).get(0)).isEqualTo(12f);
        assertThat(f.foreground().get(0).get(1)).isEqualTo(24.5f);

        // one case of two foreground values, 10 samples: statistics of numpy's RandomState(1234).randint(0, 2, 10)
        // = [1 1 0 1 0 0 0 1 1 1] -> six times 24.5, four times 12 (float64 mode not involved: float32)
        IntensityProperties p = ForegroundIntensityStatistics.compute(List.of(f), 0, 10);
        assertThat(p.min()).isEqualTo(12);
        assertThat(p.max()).isEqualTo(24.5);
        assertThat(p.mean()).isEqualTo((float) ((6 * 24.5 + 4 * 12) / 10));
        assertThat(p.median()).isEqualTo(24.5);
        assertThat(p.std()).isCloseTo(Math.sqrt(0.24) * 12.5, org.assertj.core.data.Offset.offset(1e-5));
        // percentile 0.5 of 10 sorted samples: index 0.045 between 12 and 12
        assertThat(p.percentile00_5()).isEqualTo(12);
    }

    @Test
    void emptyForegroundEverywhereFailsWithChannel() {
        float[] img = new float[8];
        img[0] = 1;
        CaseData c = new CaseData("c0", new float[][]{img}, new float[8], new int[]{2, 2, 2}, new double[]{1, 1, 1});
        List<CaseFingerprint> cases = new ArrayList<>();
        cases.add(CaseAnalyzer.analyze(c, 5));
        assertThatThrownBy(() -> ForegroundIntensityStatistics.compute(cases, 0, 5))
                .isInstanceOf(PlansException.class).hasMessageContaining("channel 0");
    }
}
