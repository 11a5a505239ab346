package io.nnft.dataset;

import java.io.IOException;
import java.util.List;

/** A raw dataset that cannot be opened: its dataset.json or folder layout is unusable. Lists every problem. */
public final class DatasetFormatException extends IOException {
    private final transient List<DatasetProblem> problems;

    public DatasetFormatException(List<DatasetProblem> problems) {
        super(summary(problems));
        this.problems = List.copyOf(problems);
    }

    public List<DatasetProblem> problems() {
        return problems;
    }

    private static String summary(List<DatasetProblem> problems) {
        StringBuilder b = new StringBuilder();
        for (DatasetProblem p : problems) {
            if (b.length() > 0) {
                b.append("; ");
            }
            b.append(p);
        }
        return b.toString();
    }
}
