package io.nnft.classification;

import io.nnft.dataset.ClassLabels;
import io.nnft.training.data.Splits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class StratifiedSplitTest {
    @TempDir
    Path tmp;

    @Test
    void everyFoldValidatesOnEveryClassAndEachCaseOnce() throws Exception {
        StringBuilder sb = new StringBuilder("case,label\n");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            String id = String.format("c%02d", i);
            ids.add(id);
            sb.append(id).append(',').append(i < 15 ? "a" : "b").append('\n'); // 15 a, 8 b
        }
        Files.writeString(tmp.resolve("l.csv"), sb.toString());
        ClassLabels labels = ClassLabels.read(tmp.resolve("l.csv"), ids);
        List<Splits.Fold> folds = StratifiedSplit.stratified(labels, 5, StratifiedSplit.SEED);
        Set<String> seen = new HashSet<>();
        for (Splits.Fold f : folds) {
            long b = f.val().stream().filter(id -> labels.indexOf(id) == 1).count();
            long a = f.val().size() - b;
            assertThat(a).isBetween(3L, 3L); // 15 / 5
            assertThat(b).isBetween(1L, 2L); // 8 / 5
            assertThat(f.val().size()).isBetween(4, 5);
            assertThat(f.train()).doesNotContainAnyElementsOf(f.val()).hasSize(23 - f.val().size());
            seen.addAll(f.val());
        }
        assertThat(seen).hasSize(23);
        assertThat(StratifiedSplit.stratified(labels, 5, StratifiedSplit.SEED)).as("deterministic").isEqualTo(folds);
        assertThat(StratifiedSplit.select(labels, "all", null).val()).hasSize(23);
        Files.writeString(tmp.resolve("splits_final.json"), "[{\"train\": [\"c00\", \"c20\"], \"val\": [\"c01\"]}]");
        Splits.Fold given = StratifiedSplit.select(labels, "0", tmp.resolve("splits_final.json"));
        assertThat(given.train()).containsExactly("c00", "c20");
        assertThat(given.val()).containsExactly("c01");
    }
}
