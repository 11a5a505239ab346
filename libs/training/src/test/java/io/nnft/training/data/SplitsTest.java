package io.nnft.training.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SplitsTest {
    private static List<String> ids(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(String.format("case_%02d", i));
        }
        return out;
    }

    @Test
    void permutationIsNumpysLegacyShuffle() {
        // python: r = np.random.RandomState(12345); a = np.arange(n); r.shuffle(a)
        assertThat(Splits.permutation(10, 12345)).containsExactly(0, 7, 3, 9, 6, 4, 1, 8, 5, 2);
        assertThat(Splits.permutation(7, 12345)).containsExactly(6, 3, 4, 0, 1, 5, 2);
    }

    @Test
    void kFoldMatchesSklearnOnTheShuffledIndices() {
        List<Splits.Fold> folds = Splits.kFold(ids(10), 5, 12345);
        // sklearn: fold f validates shuffled[2f:2f+2], both lists sorted
        assertThat(folds.get(0).val()).containsExactly("case_00", "case_07");
        assertThat(folds.get(1).val()).containsExactly("case_03", "case_09");
        assertThat(folds.get(4).val()).containsExactly("case_02", "case_05");
        Set<String> allVal = new HashSet<>();
        for (Splits.Fold f : folds) {
            assertThat(f.train()).hasSize(8).doesNotContainAnyElementsOf(f.val());
            allVal.addAll(f.val());
        }
        assertThat(allVal).hasSize(10);
        // 7 cases: first two folds get 2 validation cases
        List<Splits.Fold> seven = Splits.kFold(ids(7), 5, 12345);
        assertThat(seven.get(0).val()).containsExactly("case_03", "case_06");
        assertThat(seven.get(2).val()).containsExactly("case_01");
    }

    @Test
    void fewerThanFiveCasesWithoutSplitsFileFailsNamingTheCount() throws Exception {
        assertThatThrownBy(() -> Splits.select(ids(3), 0, null))
                .hasMessageContaining("at least 5 cases, found 3");
        assertThat(Splits.select(ids(3), null, null).train()).hasSize(3);
        assertThat(Splits.select(ids(3), null, null).val()).hasSize(3);
    }

    @Test
    void splitsFileWinsAndIsValidated(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("splits_final.json");
        Files.writeString(f, "[{\"train\": [\"case_00\", \"case_01\"], \"val\": [\"case_02\"]}]");
        Splits.Fold fold = Splits.select(ids(3), 0, f);
        assertThat(fold.train()).containsExactly("case_00", "case_01");
        assertThat(fold.val()).containsExactly("case_02");
        assertThatThrownBy(() -> Splits.select(ids(3), 1, f)).hasMessageContaining("has 1 folds");
        Files.writeString(f, "[{\"train\": [\"case_00\"], \"val\": [\"nope\"]}]");
        assertThatThrownBy(() -> Splits.select(ids(3), 0, f)).hasMessageContaining("'nope'").hasMessageContaining(".val");
        assertThatThrownBy(() -> Splits.parseFold("7x")).hasMessageContaining("'7x'");
    }
}
