package io.nnft.events;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * An event (or request body) broke its contract. Carries every problem found and, when one could be
 * read from the subject or {@code data.jobId} (even if the rest is invalid), the job it belongs to, so
 * a consumer can publish {@link JobFailed} and dead-letter the raw record.
 */
public final class InvalidEventException extends RuntimeException {

    private final List<Problem> problems;
    private final String jobId;
    private final String eventType;

    public InvalidEventException(String what, List<Problem> problems, String jobId, String eventType) {
        super(message(what, problems));
        this.problems = List.copyOf(problems);
        this.jobId = jobId;
        this.eventType = eventType;
    }

    private static String message(String what, List<Problem> problems) {
        return what + ": " + problems.stream().map(Problem::toString).collect(Collectors.joining("; "));
    }

    /** Never empty. */
    public List<Problem> problems() {
        return problems;
    }

    /** The job, when a valid job id could be read from the record. */
    public Optional<String> jobId() {
        return Optional.ofNullable(jobId);
    }

    /** The CloudEvent type named by the record, when one could be read (valid or not). */
    public Optional<String> eventType() {
        return Optional.ofNullable(eventType);
    }

    /**
     * The {@link JobFailed} a consumer at {@code stage} publishes for this invalid event, when the job is
     * known. Not retriable: the same bytes will fail again.
     */
    public Optional<JobFailed> toJobFailed(JobFailed.Stage stage) {
        return jobId().map(id -> new JobFailed(id, stage, getMessage(), false, problems, null, eventType, null));
    }
}
