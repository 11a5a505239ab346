package io.nnft.events;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A trainer node claimed an attempt of the job ({@code schemas/TrainingStarted.v1.schema.json}): from here on the
 * job is training, long before its first epoch ends.
 *
 * @param attempt 1, then one more per resumed attempt
 * @param trainer the replica that claimed it
 * @param epochs the epoch budget
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingStarted(String jobId, Integer attempt, String trainer, Integer epochs) implements NnftEvent {
}
