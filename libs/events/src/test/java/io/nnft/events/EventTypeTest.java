package io.nnft.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EventTypeTest {

    @Test
    void topicsTypesAndSchemas() {
        assertThat(EventType.FINE_TUNE_REQUESTED.topic()).isEqualTo("nnft.fine-tune-requested");
        assertThat(EventType.FINE_TUNE_REQUESTED.cloudEventType()).isEqualTo("nnft.FineTuneRequested.v1");
        assertThat(EventType.FINE_TUNE_REQUESTED.schemaResource())
                .isEqualTo("nnft/schemas/FineTuneRequested.v1.schema.json");
        assertThat(EventType.topics()).containsExactly("nnft.fine-tune-requested", "nnft.plans-ready",
                "nnft.preprocessing-completed", "nnft.training-started", "nnft.training-progress",
                "nnft.training-completed", "nnft.encoder-exported",
                "nnft.job-failed", "nnft.job-cancel-requested");
        assertThat(EventType.DEAD_LETTER_TOPIC).isEqualTo("nnft.dead-letter");
        for (EventType t : EventType.values()) {
            assertThat(EventType.fromCloudEventType(t.cloudEventType())).contains(t);
            assertThat(EventType.fromTopic(t.topic())).contains(t);
            assertThat(EventType.of(t.javaClass())).isEqualTo(t);
            assertThat(EventType.class.getClassLoader().getResource(t.schemaResource())).as(t.schemaResource())
                    .isNotNull();
            assertThat(EventSchemas.get().schemaTree(t).path("title").asText()).isEqualTo(t.eventName() + " v1");
        }
    }

    @Test
    void typeOfAnEvent() {
        NnftEvent cancel = new JobCancelRequested("job-1", null, true);
        assertThat(cancel.type()).isEqualTo(EventType.JOB_CANCEL_REQUESTED);
        assertThat(EventCodec.key(cancel)).isEqualTo("job-1");
    }

    @Test
    void nanMetricsTravelAsNull() {
        TrainingProgress p = new TrainingProgress("job-1", 0, 10,
                new java.util.LinkedHashMap<>(Map.of("pseudo_dice/2", Double.NaN)), null);
        EventCodec codec = EventCodec.forProducer("trainer");
        TrainingProgress back = codec.decode(codec.encode(p), TrainingProgress.class);
        assertThat(back.metrics()).containsEntry("pseudo_dice/2", null);
    }
}
