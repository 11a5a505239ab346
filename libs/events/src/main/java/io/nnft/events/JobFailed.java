package io.nnft.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** A stage gave up on a job ({@code schemas/JobFailed.v1.schema.json}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobFailed(
        String jobId,
        Stage stage,
        String reason,
        Boolean retriable,
        List<Problem> problems,
        Boolean cancelled,
        String eventType,
        Integer attempt)
        implements NnftEvent {

    /** Where a job failed. */
    public enum Stage {
        @JsonProperty("gateway") GATEWAY,
        @JsonProperty("planning") PLANNING,
        @JsonProperty("preprocessing") PREPROCESSING,
        @JsonProperty("training") TRAINING,
        @JsonProperty("export") EXPORT
    }

    /** A failure with just the essentials. */
    public static JobFailed of(String jobId, Stage stage, String reason, boolean retriable) {
        return new JobFailed(jobId, stage, reason, retriable, null, null, null, null);
    }

    /** The job stopped because a user cancelled it. */
    public static JobFailed cancelledBy(JobCancelRequested cancel, Stage stage) {
        String why = cancel.reason() == null ? "cancelled" : "cancelled: " + cancel.reason();
        return new JobFailed(cancel.jobId(), stage, why, false, null, true, null, null);
    }

    /** {@code cancelled}, false when absent. */
    @JsonIgnore
    public boolean wasCancelled() {
        return Boolean.TRUE.equals(cancelled);
    }

    /** {@code problems}, empty when absent. */
    @JsonIgnore
    public List<Problem> problemList() {
        return problems == null ? List.of() : problems;
    }
}
