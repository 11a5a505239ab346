package io.nnft.preprocessing.sampling;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ClassLocationsTest {

    @Test
    void classLocationsAreCappedButCoverAtLeastOnePercent() {
        // 2,000,000 voxels of label 1 -> 20,000 (1%) > 10,000 cap; 50 of label 2 -> all; label 3 absent -> empty
        int[] shape = {20, 100, 1001};
        short[] seg = new short[20 * 100 * 1001];
        java.util.Arrays.fill(seg, 0, 2_000_000, (short) 1);
        for (int i = 0; i < 50; i++) {
            seg[2_000_000 + i * 7] = 2;
        }
        Map<String, int[][]> locs = ClassLocations.sample(seg, shape,
                List.of(new short[]{1}, new short[]{2}, new short[]{3}, new short[]{1, 2}));
        assertThat(locs.keySet()).containsExactly("1", "2", "3", "(1, 2)");
        assertThat(locs.get("1")).hasNumberOfRows(20_000);
        assertThat(locs.get("2")).hasNumberOfRows(50);
        assertThat(locs.get("3")).isEmpty();
        assertThat(locs.get("(1, 2)")).hasNumberOfRows(20_001);
        for (int[] l : locs.get("2")) {
            int flat = (l[1] * 100 + l[2]) * 1001 + l[3];
            assertThat(l[0]).isZero();
            assertThat(seg[flat]).isEqualTo((short) 2);
        }
    }
}
