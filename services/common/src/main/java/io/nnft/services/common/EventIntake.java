package io.nnft.services.common;

import io.nnft.events.DeadLetter;
import io.nnft.events.Decoded;
import io.nnft.events.EventCodec;
import io.nnft.events.EventType;
import io.nnft.events.InvalidEventException;
import io.nnft.events.JobFailed;
import io.nnft.events.NnftEvent;
import io.nnft.events.Problem;
import io.nnft.storage.InvalidLocationException;
import io.nnft.storage.ObjectStore;
import io.nnft.storage.StorageException;
import java.util.List;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * The edge every consumer goes through. An incoming record is validated against its schema; a record
 * that breaks its contract is never dropped silently: it goes unchanged to the dead-letter topic with
 * the reason in headers and, when a job id can be read, a {@code JobFailed} naming the field and rule is
 * published. A failure while handling a valid event becomes a {@code JobFailed} too. Either way the
 * record is acknowledged and the consumer goes on with the next one.
 */
@ApplicationScoped
public class EventIntake {
    private static final Logger LOG = Logger.getLogger(EventIntake.class);

    private final EventPublisher publisher;
    private final ObjectStore store;
    private final EventCodec codec;

    @Inject
    public EventIntake(EventPublisher publisher, ObjectStore store) {
        this.publisher = publisher;
        this.store = store;
        this.codec = new EventCodec(publisher.source());
    }

    /** Decodes, runs {@code handler} for a valid event, reports any failure; then acks. */
    public <T extends NnftEvent> CompletionStage<Void> process(Message<byte[]> message, Class<T> type,
                                                               JobFailed.Stage stage, Consumer<T> handler) {
        Optional<T> event = accept(message, type, stage);
        event.ifPresent(e -> run(e, stage, handler));
        return message.ack();
    }

    /** The valid event, or empty after dead-lettering and reporting an invalid one. */
    public <T extends NnftEvent> Optional<T> accept(Message<byte[]> message, Class<T> type, JobFailed.Stage stage) {
        try {
            return Optional.of(codec.decode(message.getPayload(), type));
        } catch (InvalidEventException e) {
            deadLetter(message, type, e);
            e.toJobFailed(stage).ifPresent(publisher::publish);
            return Optional.empty();
        }
    }

    /**
     * For observers that own no stage (the gateway's job view): the valid event of {@code type} with its
     * envelope, or empty after dead-lettering an invalid one. No {@code JobFailed} is published: the stage
     * that consumes the record reports it.
     */
    public <T extends NnftEvent> Optional<Decoded> observe(Message<byte[]> message, Class<T> type) {
        try {
            Decoded decoded = codec.decode(message.getPayload());
            decoded.as(type);
            return Optional.of(decoded);
        } catch (InvalidEventException e) {
            deadLetter(message, type, e);
            return Optional.empty();
        }
    }

    private void deadLetter(Message<byte[]> message, Class<? extends NnftEvent> type, InvalidEventException e) {
        byte[] payload = message.getPayload();
        String topic = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(IncomingKafkaRecordMetadata::getTopic).orElse(EventType.of(type).topic());
        String originalKey = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> m.getKey() == null ? null : m.getKey().toString()).orElse(null);
        LOG.warnf("dead-lettering a record from %s: %s", topic, e.getMessage());
        var headers = new RecordHeaders()
                .add(DeadLetter.REASON_HEADER, e.getMessage().getBytes(StandardCharsets.UTF_8))
                .add(DeadLetter.SOURCE_TOPIC_HEADER, topic.getBytes(StandardCharsets.UTF_8))
                .add(DeadLetter.CONSUMER_HEADER, publisher.source().getBytes(StandardCharsets.UTF_8));
        publisher.send(EventType.DEAD_LETTER_TOPIC, e.jobId().orElse(originalKey),
                payload == null ? new byte[0] : payload, headers);
    }

    /** Runs the work for one job; whatever goes wrong is published as that job's {@code JobFailed}. */
    public <T extends NnftEvent> void run(T event, JobFailed.Stage stage, Consumer<T> handler) {
        try {
            handler.accept(event);
        } catch (JobFailure f) {
            LOG.warnf("job %s failed at %s: %s", event.jobId(), stage, f.getMessage());
            publisher.publish(new JobFailed(event.jobId(), stage, f.getMessage(), f.retriable(),
                    f.problems().isEmpty() ? null : f.problems(), null, event.type().cloudEventType(), null));
        } catch (InvalidLocationException f) {
            LOG.warnf("job %s: %s", event.jobId(), f.getMessage());
            publisher.publish(new JobFailed(event.jobId(), stage, f.getMessage(), false,
                    List.of(new Problem(f.location(), "a location in bucket '" + store.bucket() + "'", f.getMessage())),
                    null, event.type().cloudEventType(), null));
        } catch (StorageException f) {
            LOG.errorf(f, "job %s: storage failure at %s", event.jobId(), stage);
            publisher.publish(JobFailed.of(event.jobId(), stage, f.getMessage(), f.retriable()));
        } catch (RuntimeException f) {
            LOG.errorf(f, "job %s: unexpected failure at %s", event.jobId(), stage);
            publisher.publish(new JobFailed(event.jobId(), stage, "internal error at " + stage + ": " + f,
                    true, null, null, event.type().cloudEventType(), null));
        }
    }
}
