package io.nnft.services.common;

import io.nnft.events.DeadLetter;
import io.nnft.events.Decoded;
import io.nnft.events.EventCodec;
import io.nnft.events.EventType;
import io.nnft.events.FineTuneRequested;
import io.nnft.events.InvalidEventException;
import io.nnft.events.JobFailed;
import io.nnft.events.JobId;
import io.nnft.events.NnftEvent;
import io.nnft.events.Problem;
import io.nnft.storage.InvalidLocationException;
import io.nnft.storage.ObjectStore;
import io.nnft.storage.StorageException;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import java.util.List;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * The edge every consumer goes through. An incoming record ends in exactly one way, whatever it holds:
 * <ul>
 *   <li>processed: the handler ran for a valid event;</li>
 *   <li>a job's {@code JobFailed}: the handler failed, or the record broke its contract and names its job
 *       (then the record is dead-lettered too, as schemas/README.md says);</li>
 *   <li>dead-lettered with the reason: it broke its contract, its Kafka key names another job than
 *       {@code data.jobId}, it reuses a job id for another request, or its {@code JobFailed} could not be
 *       published.</li>
 * </ul>
 * Then the record is acknowledged and the consumer goes on with the next one. No exception leaves
 * {@link #process}: one that escaped would end the channel's stream, stop the consumer for good and turn
 * liveness DOWN. Only when even the dead letter cannot be sent (the broker refuses our producer too) is the
 * record nacked, for the channel's own {@code dead-letter-queue} failure strategy to take it.
 *
 * <p>A {@code FineTuneRequested} without {@code data.jobId} gets one here, before anything else happens
 * ({@link JobId#assign}, derived from the CloudEvent's source and id, so a redelivery names the same job).
 *
 * <p>A stage's handling of one record is one span, {@code <stage> <Event>} (e.g. {@code planning FineTuneRequested}),
 * in the trace the record carried ({@link JobTracing}), with the job id, the event and how the intake took it; what
 * the handler publishes is below it, and a {@code JobFailed} marks it failed.
 */
@ApplicationScoped
public class EventIntake {
    private static final Logger LOG = Logger.getLogger(EventIntake.class);
    /** Longer than any job id (63): a key past it is quoted by its start and length, never in full. */
    private static final int MAX_QUOTED_KEY = 80;

    private final EventPublisher publisher;
    private final ObjectStore store;
    private final JobTracing tracing;
    private final EventCodec codec;
    private final IntakeLedger ledger;

    @Inject
    public EventIntake(EventPublisher publisher, ObjectStore store, JobTracing tracing) {
        this.publisher = publisher;
        this.store = store;
        this.tracing = tracing;
        this.codec = new EventCodec(publisher.source());
        this.ledger = new IntakeLedger(store);
    }

    /** Decodes, runs {@code handler} for a valid event, reports any failure; then acks. Never throws. */
    public <T extends NnftEvent> CompletionStage<Void> process(Message<byte[]> message, Class<T> type,
                                                               JobFailed.Stage stage, Consumer<T> handler) {
        return handle(message, type, stage, handler, null);
    }

    /**
     * As {@link #process}, one request per job id at this stage ({@link IntakeLedger.Once#PER_JOB}): the same event
     * again, or the same data under a new event id, is ignored once its work has ended; a job id already used at
     * this stage for another request is dead-lettered ({@code job id already used}) and nothing is published under
     * that id, since a JobFailed there would tell the original job's followers that their job failed.
     */
    public <T extends NnftEvent> CompletionStage<Void> processOncePerJob(Message<byte[]> message, Class<T> type,
                                                                         JobFailed.Stage stage, Consumer<T> handler) {
        return handle(message, type, stage, handler, IntakeLedger.Once.PER_JOB);
    }

    /**
     * As {@link #process}, each event once at this stage ({@link IntakeLedger.Once#PER_EVENT}): the same event
     * ({@code id} + {@code source}) again is ignored once its work has ended; another event for the job runs.
     */
    public <T extends NnftEvent> CompletionStage<Void> processOncePerEvent(Message<byte[]> message, Class<T> type,
                                                                           JobFailed.Stage stage, Consumer<T> handler) {
        return handle(message, type, stage, handler, IntakeLedger.Once.PER_EVENT);
    }

    /**
     * For observers that own no stage (the gateway's job view): the valid event of {@code type} with its envelope
     * (a request without job id carries the one its stage assigns), or empty. No {@code JobFailed} is published:
     * the stage that consumes the record reports it. A refused record is dead-lettered only when
     * {@code deadLetter} says that this observer is the topic's only consumer; otherwise that consumer
     * dead-letters it and a second copy would only count the same record twice.
     */
    public <T extends NnftEvent> Optional<Decoded> observe(Message<byte[]> message, Class<T> type, boolean deadLetter) {
        return admit(message, type, null, deadLetter);
    }

    private <T extends NnftEvent> CompletionStage<Void> handle(Message<byte[]> message, Class<T> type,
                                                               JobFailed.Stage stage, Consumer<T> handler,
                                                               IntakeLedger.Once once) {
        Span span = tracing.start(name(stage) + " " + EventType.of(type).eventName(), null, JobTracing.parentOf(message));
        span.setAttribute(JobTracing.STAGE, name(stage));
        try (Scope ignored = span.makeCurrent()) {
            Optional<Decoded> admitted = admit(message, type, stage, true);
            if (admitted.isPresent()) {
                span.setAttribute(JobTracing.JOB_ID, admitted.get().jobId());
                span.setAttribute(JobTracing.EVENT_ID, admitted.get().id());
                span.setAttribute(JobTracing.EVENT_TYPE, admitted.get().type().cloudEventType());
                if (once != null) {
                    runOnce(message, admitted.get(), type, stage, handler, once);
                } else {
                    run(message, type.cast(admitted.get().event()), stage, handler);
                }
            }
            return message.ack();
        } catch (RuntimeException e) {
            LOG.errorf(e, "could not handle a record from %s nor dead-letter it; handing it to the channel's"
                    + " failure strategy", topic(message, type));
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, "neither handled nor dead-lettered: " + e.getMessage());
            return message.nack(e);
        } finally {
            span.end();
        }
    }

    /**
     * The valid event, its job id assigned when a request came without one; empty after dead-lettering (when
     * {@code deadLetter}) and, for a stage, reporting a record that breaks its contract or whose key names
     * another job.
     */
    private <T extends NnftEvent> Optional<Decoded> admit(Message<byte[]> message, Class<T> type,
                                                          JobFailed.Stage stage, boolean deadLetter) {
        Decoded decoded;
        try {
            decoded = codec.decode(message.getPayload());
            decoded.as(type);
        } catch (InvalidEventException e) {
            refuse(message, type, e.getMessage(), e.jobId().orElse(null), deadLetter);
            if (stage != null) {
                refused(e.jobId().orElse(null), e.getMessage());
                // after the dead letter: if this fails too, the record is still accounted for
                e.toJobFailed(stage).ifPresent(failed -> publishOrLog(failed));
            }
            return Optional.empty();
        }
        String key = kafkaKey(message);
        if (key != null && !key.isEmpty() && decoded.jobId() != null && !key.equals(decoded.jobId())) {
            // which job is it? Neither may be told it failed: the record goes to the operators.
            String reason = "Kafka key '" + abbreviate(key) + "' and data.jobId '" + decoded.jobId()
                    + "' name different jobs: expected the job id as the key (schemas/README.md)";
            refuse(message, type, reason, key, deadLetter);
            if (stage != null) {
                refused(null, reason);
            }
            return Optional.empty();
        }
        if (decoded.event() instanceof FineTuneRequested request && request.jobId() == null) {
            FineTuneRequested assigned = JobId.assign(request, decoded.source(), decoded.id());
            LOG.infof("assigned job id %s to request %s from %s", assigned.jobId(), decoded.id(), decoded.source());
            decoded = new Decoded(decoded.id(), decoded.source(), decoded.type(), assigned.jobId(), decoded.time(), assigned);
        }
        return Optional.of(decoded);
    }

    private void refuse(Message<byte[]> message, Class<? extends NnftEvent> type, String reason, String jobId,
                        boolean deadLetter) {
        if (deadLetter) {
            deadLetter(message, type, reason, jobId);
        } else {
            LOG.infof("skipping a record from %s (its consumer dead-letters it): %s", topic(message, type), reason);
        }
    }

    /** Marks the stage's span (current in {@link #handle}): the record was dead-lettered. */
    private static void refused(String jobId, String reason) {
        Span span = Span.current();
        span.setAttribute(JobTracing.INTAKE, "refused");
        if (jobId != null) {
            span.setAttribute(JobTracing.JOB_ID, jobId);
        }
        span.addEvent("dead-lettered: " + reason);
    }

    private <T extends NnftEvent> void runOnce(Message<byte[]> message, Decoded decoded, Class<T> type,
                                               JobFailed.Stage stage, Consumer<T> handler, IntakeLedger.Once once) {
        String jobId = decoded.jobId();
        IntakeLedger.Claim claim;
        try {
            claim = ledger.claim(decoded, stage, once);
        } catch (RuntimeException e) {
            // Without the ledger we cannot tell a new job from a reused id: publish nothing under the id.
            LOG.errorf(e, "job %s: cannot read or write %s", jobId, IntakeLedger.key(jobId, stage));
            deadLetter(message, type, "job " + jobId + " at " + name(stage) + ": could not check its id against "
                    + IntakeLedger.key(jobId, stage) + " (" + e.getMessage() + "); replay the record once storage is back",
                    jobId);
            return;
        }
        Span.current().setAttribute(JobTracing.INTAKE, claim.verdict().name().toLowerCase(java.util.Locale.ROOT));
        switch (claim.verdict()) {
            case DUPLICATE -> {
                LOG.infof("job %s: ignoring event %s from %s at %s: the same request as %s, already handled", jobId,
                        decoded.id(), decoded.source(), name(stage), claim.entry());
                return;
            }
            case CONFLICT -> {
                deadLetter(message, type, "job id already used: job " + jobId + " was started at " + name(stage) + " by "
                        + claim.entry() + "; expected a new job id for event " + decoded.id() + " from "
                        + decoded.source() + ", which carries another request", jobId);
                return;
            }
            case RESUME -> LOG.warnf("job %s: the work at %s for %s never ended; doing it again", jobId, name(stage),
                    claim.entry());
            case FIRST -> {
            }
        }
        run(message, type.cast(decoded.event()), stage, handler);
        try {
            ledger.done(decoded, stage, claim.entry());
        } catch (RuntimeException e) {
            // the work is done and reported; a redelivery would only do it again
            LOG.warnf("job %s: could not mark %s done: %s", jobId, IntakeLedger.key(jobId, stage), e.getMessage());
        }
    }

    /** Runs the work for one job; whatever goes wrong is published as that job's {@code JobFailed}. */
    private <T extends NnftEvent> void run(Message<byte[]> message, T event, JobFailed.Stage stage, Consumer<T> handler) {
        String cloudEventType = event.type().cloudEventType();
        try {
            handler.accept(event);
        } catch (JobFailure f) {
            LOG.warnf("job %s failed at %s: %s", event.jobId(), stage, f.getMessage());
            report(message, event, stage, f, () -> new JobFailed(event.jobId(), stage, f.getMessage(), f.retriable(),
                    f.problems().isEmpty() ? null : f.problems(), null, cloudEventType, null));
        } catch (InvalidLocationException f) {
            LOG.warnf("job %s: %s", event.jobId(), f.getMessage());
            report(message, event, stage, f, () -> new JobFailed(event.jobId(), stage, f.getMessage(), false,
                    List.of(new Problem(f.location(), "a location in bucket '" + store.bucket() + "'", f.getMessage())),
                    null, cloudEventType, null));
        } catch (StorageException f) {
            LOG.errorf(f, "job %s: storage failure at %s", event.jobId(), stage);
            report(message, event, stage, f, () -> JobFailed.of(event.jobId(), stage, f.getMessage(), f.retriable()));
        } catch (RuntimeException f) {
            LOG.errorf(f, "job %s: unexpected failure at %s", event.jobId(), stage);
            Span.current().recordException(f);
            report(message, event, stage, f, () -> new JobFailed(event.jobId(), stage,
                    "internal error at " + stage + ": " + f, true, null, null, cloudEventType, null));
        }
    }

    /**
     * Publishes the job's {@code JobFailed}; when that fails too (it does not encode, the broker refuses it) the
     * record goes to the dead letters with both reasons, so the failure is still seen.
     */
    private void report(Message<byte[]> message, NnftEvent event, JobFailed.Stage stage, RuntimeException failure,
                        Supplier<JobFailed> failed) {
        try {
            publisher.publish(failed.get());
        } catch (RuntimeException e) {
            LOG.errorf(e, "job %s: could not publish its JobFailed", event.jobId());
            deadLetter(message, event.getClass(), "job " + event.jobId() + " failed at " + name(stage) + " ("
                    + failure.getMessage() + ") and its JobFailed could not be published: " + e.getMessage(),
                    event.jobId());
        }
    }

    private void publishOrLog(JobFailed failed) {
        try {
            publisher.publish(failed);
        } catch (RuntimeException e) {
            LOG.errorf(e, "job %s: the record is dead-lettered but its JobFailed could not be published", failed.jobId());
        }
    }

    /**
     * The record, unchanged, to the dead letters; key: the job id when known, else the original key. When the broker
     * refuses that copy (a record near the size limit gains the headers; a huge key), a dead letter without the
     * record is sent instead: its reason says why and where the record stays (topic, partition, offset). Only when
     * that fails too does this throw, and the record is nacked.
     */
    private void deadLetter(Message<byte[]> message, Class<? extends NnftEvent> type, String reason, String jobId) {
        byte[] payload = message.getPayload();
        String topic = topic(message, type);
        String key = jobId != null ? jobId : kafkaKey(message);
        LOG.warnf("dead-lettering a record from %s: %s", topic, reason);
        try {
            publisher.send(EventType.DEAD_LETTER_TOPIC, key, payload == null ? new byte[0] : payload,
                    deadLetterHeaders(topic, reason));
        } catch (RuntimeException e) {
            String where = message.getMetadata(IncomingKafkaRecordMetadata.class)
                    .map(m -> m.getTopic() + "-" + m.getPartition() + "@" + m.getOffset()).orElse(topic);
            String stub = reason + " (the record itself could not be dead-lettered: " + e.getMessage()
                    + "; it stays at " + where + ", " + (payload == null ? 0 : payload.length) + " bytes, key of "
                    + (key == null ? 0 : key.length()) + " characters)";
            LOG.errorf("dead-lettering %s without the record: %s", where, e.getMessage());
            publisher.send(EventType.DEAD_LETTER_TOPIC, key == null ? null : abbreviate(key), new byte[0],
                    deadLetterHeaders(topic, stub));
        }
    }

    private Headers deadLetterHeaders(String topic, String reason) {
        return new RecordHeaders()
                .add(DeadLetter.REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8))
                .add(DeadLetter.SOURCE_TOPIC_HEADER, topic.getBytes(StandardCharsets.UTF_8))
                .add(DeadLetter.CONSUMER_HEADER, publisher.source().getBytes(StandardCharsets.UTF_8));
    }

    /** A key as a reason quotes it: a job id in full, a longer key by its first characters and its length. */
    static String abbreviate(String key) {
        return key.length() <= MAX_QUOTED_KEY ? key
                : key.substring(0, MAX_QUOTED_KEY) + "... (" + key.length() + " characters)";
    }

    private static String name(JobFailed.Stage stage) {
        return stage.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String topic(Message<byte[]> message, Class<? extends NnftEvent> type) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(IncomingKafkaRecordMetadata::getTopic).orElse(EventType.of(type).topic());
    }

    private static String kafkaKey(Message<byte[]> message) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> m.getKey() == null ? null : m.getKey().toString()).orElse(null);
    }
}
