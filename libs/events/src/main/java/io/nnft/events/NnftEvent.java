package io.nnft.events;

/**
 * One nnft event: the {@code data} of a CloudEvent on one of nnft's topics. Every event is about one
 * job, whose id is the Kafka key and the CloudEvent subject.
 */
public sealed interface NnftEvent
        permits FineTuneRequested, PlansReady, PreprocessingCompleted, TrainingStarted, TrainingProgress,
                TrainingCompleted, EncoderExported, JobFailed, JobCancelRequested {

    /** The job; only a {@link FineTuneRequested} that still awaits an assigned id returns null. */
    String jobId();

    /** The contract this event follows. */
    default EventType type() {
        return EventType.of(getClass());
    }
}
