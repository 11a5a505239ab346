package io.nnft.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/** The planner wrote the plans ({@code schemas/PlansReady.v1.schema.json}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PlansReady(
        String jobId,
        FineTuneRequested request,
        String datasetName,
        String plans,
        String datasetJson,
        String fingerprint,
        Configuration configuration,
        Integer numTrainingCases,
        Boolean plansFromPretrained)
        implements NnftEvent {

    /** {@code plansFromPretrained}, false when absent. */
    @JsonIgnore
    public boolean plansTransferred() {
        return Boolean.TRUE.equals(plansFromPretrained);
    }
}
