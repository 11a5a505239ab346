package io.nnft.events;

import java.time.Instant;

/**
 * A decoded, validated CloudEvent.
 *
 * @param id CloudEvent id (use with source to de-duplicate)
 * @param source producer, e.g. /nnft/planner
 * @param type which contract
 * @param subject the job id (null only for a FineTuneRequested still without one)
 * @param time when it was produced, null if the producer gave none
 * @param event the typed data
 */
public record Decoded(String id, String source, EventType type, String subject, Instant time, NnftEvent event) {

    public String jobId() {
        return event.jobId();
    }

    /** The event as {@code expected}, or an {@link InvalidEventException} naming both types. */
    public <T extends NnftEvent> T as(Class<T> expected) {
        if (!expected.isInstance(event)) {
            EventType want = EventType.of(expected);
            throw new InvalidEventException("unexpected event type", java.util.List.of(
                    new Problem("/type", want.cloudEventType(), type.cloudEventType())), event.jobId() == null
                            || !JobId.isValid(event.jobId()) ? null : event.jobId(), type.cloudEventType());
        }
        return expected.cast(event);
    }
}
