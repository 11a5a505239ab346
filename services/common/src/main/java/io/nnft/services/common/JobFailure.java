package io.nnft.services.common;

import io.nnft.events.Problem;
import java.util.List;

/**
 * A job cannot go on at this stage for a reason the user should read (bad dataset, incompatible
 * plans...). The intake turns it into a {@code JobFailed} with the problems listed.
 */
public class JobFailure extends RuntimeException {
    private final List<Problem> problems;
    private final boolean retriable;

    public JobFailure(String reason, List<Problem> problems, boolean retriable) {
        super(reason);
        this.problems = List.copyOf(problems);
        this.retriable = retriable;
    }

    public JobFailure(String reason) {
        this(reason, List.of(), false);
    }

    public List<Problem> problems() {
        return problems;
    }

    public boolean retriable() {
        return retriable;
    }
}
