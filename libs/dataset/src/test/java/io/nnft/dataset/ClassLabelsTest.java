package io.nnft.dataset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
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
        ClassLabels s = ClassLabels.read(csv("\uFEFFcase, label\r\nc1,tumour\r\n\r\nc2,healthy\r\n"), null);
        assertThat(s.classNames()).containsExactly("healthy", "tumour");
        assertThat(s.cases()).containsExactly("c1", "c2");
    }

    @Test
    void badFilesFailNamingFileLineAndCase() throws Exception {
        List<String> known = List.of("c1", "c2", "c3");
        assertThatThrownBy(() -> ClassLabels.read(csv("case,label\nc1,a\nc9,b\nc2,a\nc3,b\n"), known))
                .hasMessageContaining("classification.csv line 3").hasMessageContaining("unknown case 'c9'");
        assertThatThrownBy(() -> ClassLabels.read(csv("case,label\nc1,a\nc2,b\n"), known))
                .hasMessageContaining("classification.csv: expected a label for every case")
                .hasMessageContaining("1 case(s) without one: c3");
        assertThatThrownBy(() -> ClassLabels.read(csv("case,label\nc1,a\nc2,a\nc3,a\n"), known))
                .hasMessageContaining("expected at least 2 classes, found 1 class(es) [a]");
        assertThatThrownBy(() -> ClassLabels.read(csv("id,class\nc1,a\n"), known))
                .hasMessageContaining("line 1: expected the header 'case,label', found 'id,class'");
        assertThatThrownBy(() -> ClassLabels.read(csv("case,label\nc1,a\nc1,b\n"), null))
                .hasMessageContaining("line 3: expected each case listed once, found case 'c1' again (first on line 2)");
        assertThatThrownBy(() -> ClassLabels.read(csv("case,label\nc1,a,x\n"), null))
                .hasMessageContaining("line 2: expected 2 comma-separated fields");
        assertThatThrownBy(() -> ClassLabels.read(tmp.resolve("nope.csv"), null))
                .hasMessageContaining("found nothing");
    }

    @Test
    void parseListsEveryProblemWithItsLineAndCapsTheList() {
        StringBuilder text = new StringBuilder("case,label\nc1,a\nc1,b\nc2\n");
        for (int i = 0; i < 30; i++) {
            text.append("x").append(i).append(",a\n");
        }
        ClassLabels.Parsed p = ClassLabels.parse(text.toString().getBytes(StandardCharsets.UTF_8), "s3://nnft/l.csv",
                List.of("c1", "c2"));
        assertThat(p.ok()).isFalse();
        assertThat(p.labels()).isNull();
        assertThat(p.problems()).hasSize(ClassLabels.MAX_PROBLEMS + 1);
        assertThat(p.problems().get(0).where()).isEqualTo("s3://nnft/l.csv line 3");
        assertThat(p.problems().get(1).where()).isEqualTo("s3://nnft/l.csv line 4");
        assertThat(p.problems().get(2).found()).isEqualTo("unknown case 'x0'");
        assertThat(p.problems().get(ClassLabels.MAX_PROBLEMS).found()).isEqualTo("12 more");
        assertThat(p.problems()).allMatch(DatasetProblem::isError);

        ClassLabels.Parsed binary = ClassLabels.parse(new byte[] {'c', (byte) 0xff, '\n'}, "l.csv", null);
        assertThat(binary.problems().get(0).found()).startsWith("bytes that are not UTF-8");
    }
}
