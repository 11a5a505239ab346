package io.nnft.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/** A user asks to stop a job ({@code schemas/JobCancelRequested.v1.schema.json}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobCancelRequested(String jobId, String reason, Boolean purge) implements NnftEvent {

    /** {@code purge}, false when absent. */
    @JsonIgnore
    public boolean purgeObjects() {
        return Boolean.TRUE.equals(purge);
    }
}
