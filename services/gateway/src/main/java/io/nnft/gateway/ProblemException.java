package io.nnft.gateway;

import io.nnft.events.Problem;
import java.util.List;

/**
 * A request the gateway refuses, with the HTTP status and every problem (each naming the failing field,
 * file or parameter). Rendered as RFC 9457 problem+json by the REST layer.
 */
public class ProblemException extends RuntimeException {
    private final int status;
    private final String title;
    private final List<Problem> problems;

    public ProblemException(int status, String title, List<Problem> problems) {
        super(title + (problems.isEmpty() ? "" : ": " + problems.get(0)));
        this.status = status;
        this.title = title;
        this.problems = List.copyOf(problems);
    }

    public ProblemException(int status, String title, Problem problem) {
        this(status, title, List.of(problem));
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public List<Problem> problems() {
        return problems;
    }
}
