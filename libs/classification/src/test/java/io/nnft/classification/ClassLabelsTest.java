package io.nnft.classification;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClassLabelsTest {
    @TempDir
    Path tmp;

    private Path csv(String text) throws Exception {
        Path p = tmp.resolve("classification.csv");
        Files.writeString(p, text);
        return p;
    }

    @Test
    void classNamesAreSortedNumericallyWhenAllIntegersElseAsStrings() throws Exception {
        ClassLabels l = ClassLabels.read(csv("case,label\nc1,10\nc2,2\nc3,2\n"), List.of("c1", "c2", "c3"));
        assertThat(l.classNames()).containsExactly("2", "10");
        assertThat(l.indexOf("c1")).isEqualTo(1);
        assertThat(l.indexOf("c2")).isEqualTo(0);
        ClassLabels s = ClassLabels.read(csv("case,label\nc1,tumour\nc2,healthy\n"), null);
        assertThat(s.classNames()).containsExactly("healthy", "tumour");
        assertThat(s.cases()).containsExactly("c1", "c2");
    }

    @Test
    void badFilesFailNamingFileLineAndCase() throws Exception {
        List<String> known = List.of("c1", "c2", "c3");
        assertThatThrownBy(() -> ClassLabels.read(csv("case,label\nc1,a\nc9,b\nc2,a\nc3,b\n"), known))
                .hasMessageContaining("classification.csv line 3").hasMessageContaining("unknown case 'c9'");
        assertThatThrownBy(() -> ClassLabels.read(csv("case,label\nc1,a\nc2,b\n"), known))
                .hasMessageContaining("classification.csv").hasMessageContaining("missing label").hasMessageContaining("[c3]");
        assertThatThrownBy(() -> ClassLabels.read(csv("case,label\nc1,a\nc2,a\nc3,a\n"), known))
                .hasMessageContaining("expected at least 2 classes, found 1 [a]");
        assertThatThrownBy(() -> ClassLabels.read(csv("id,class\nc1,a\n"), known))
                .hasMessageContaining("line 1: expected the header 'case,label', found 'id,class'");
        assertThatThrownBy(() -> ClassLabels.read(csv("case,label\nc1,a\nc1,b\n"), null))
                .hasMessageContaining("line 3: case 'c1' is listed twice (first on line 2)");
        assertThatThrownBy(() -> ClassLabels.read(csv("case,label\nc1,a,x\n"), null))
                .hasMessageContaining("line 2: expected 2 fields");
        assertThatThrownBy(() -> ClassLabels.read(tmp.resolve("nope.csv"), null))
                .hasMessageContaining("found nothing at");
    }
}
