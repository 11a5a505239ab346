package io.nnft.dataset;

import java.nio.file.Path;
import java.util.List;

/** The outcome of a dataset check: how many cases were checked and every problem, in case order. */
public record VerificationReport(Path root, int caseCount, List<DatasetProblem> problems) {
    public VerificationReport {
        problems = List.copyOf(problems);
    }

    /** True when nothing would make nnU-Net stop (warnings allowed). */
    public boolean isOk() {
        return errors().isEmpty();
    }

    public List<DatasetProblem> errors() {
        return problems.stream().filter(DatasetProblem::isError).toList();
    }

    public List<DatasetProblem> warnings() {
        return problems.stream().filter(p -> !p.isError()).toList();
    }
}
