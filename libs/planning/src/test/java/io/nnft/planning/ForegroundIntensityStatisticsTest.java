package io.nnft.planning;

import com.fasterxml.jackson.databind.JsonNode;
import io.nnft.imageio.NdArray;
import io.nnft.imageio.Npy;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two channels (the second continues the first one's random stream), float-valued data, a case without
 * foreground (float64 concatenation): against numpy running nnU-Net's sampling and reductions
 * (resources/synthetic-fingerprint/generate.py, 1000 samples per case).
 */
class ForegroundIntensityStatisticsTest {

    private static CaseFingerprint load(String id) throws Exception {
        Path dir = Fixtures.resource("synthetic-fingerprint");
        NdArray c0 = Npy.read(dir.resolve(id + "_0000.npy"));
        NdArray c1 = Npy.read(dir.resolve(id + "_0001.npy"));
        NdArray seg = Npy.read(dir.resolve(id + "_seg.npy"));
        long[] s = c0.shape();
        return CaseAnalyzer.analyze(new CaseData(id, new float[][]{c0.toFloats(), c1.toFloats()}, seg.toFloats(),
                new int[]{(int) s[0], (int) s[1], (int) s[2]}, new double[]{1, 1, 1}), 1000);
    }

    private static void assertMatches(List<CaseFingerprint> cases, JsonNode expected, ExecutorService pool) {
        for (int c = 0; c < 2; c++) {
            IntensityProperties p = ForegroundIntensityStatistics.compute(cases, c, 1000, pool);
            JsonNode e = expected.get(Integer.toString(c));
            assertThat(JsonTreeDiff.firstDifference(withoutDtype(e), p.toJson(), 0)).as("channel " + c).isEmpty();
        }
    }

    private static JsonNode withoutDtype(JsonNode e) {
        var copy = (com.fasterxml.jackson.databind.node.ObjectNode) e.deepCopy();
        copy.remove("dtype");
        return copy;
    }

    @Test
    void matchesNumpyExactly() throws Exception {
        JsonNode expected = Json.readObject(Fixtures.resource("synthetic-fingerprint/expected.json"));
        List<CaseFingerprint> all = new ArrayList<>();
        for (String id : List.of("c0", "c1", "c2", "c3")) {
            all.add(load(id));
        }
        assertThat(all.get(2).foreground().get(0).size()).isZero();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            assertMatches(all, expected.get("with_empty_case_float64"), null);
            assertMatches(all, expected.get("with_empty_case_float64"), pool);
            assertMatches(List.of(all.get(0), all.get(1), all.get(3)), expected.get("without_empty_case_float32"), pool);
        } finally {
            pool.shutdownNow();
        }
    }
}
