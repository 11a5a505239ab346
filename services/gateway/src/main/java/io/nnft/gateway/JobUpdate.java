package io.nnft.gateway;

import io.nnft.events.NnftEvent;

/**
 * One event applied to a job, as {@code GET /jobs/{id}/events} streams it.
 *
 * @param event the event name, e.g. TrainingProgress
 * @param eventId the CloudEvent id (null for the gateway's own bookkeeping)
 * @param data the event's data
 * @param view the job after the event
 */
public record JobUpdate(String event, String eventId, NnftEvent data, JobView view) {
}
