package io.nnft.services.common;

import io.nnft.events.EventCodec;
import io.nnft.events.EventType;
import io.nnft.events.JobFailed;
import io.nnft.events.NnftEvent;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Publishes events as structured-mode CloudEvents on their topic, keyed by job id, through the service's
 * one outgoing channel ({@code events}). Calls return once the broker acknowledged the record, so a
 * consumer acks its input only after its output is durable (at-least-once end to end).
 *
 * <p>Each record carries the trace of the span current on the calling thread ({@link JobTracing}): the connector's
 * producer span is its child and writes the record's {@code traceparent} header. Publishing a {@code JobFailed}
 * marks that span as failed with the reason, so a failed job's trace shows where and why.
 */
@ApplicationScoped
public class EventPublisher {
    private static final Logger LOG = Logger.getLogger(EventPublisher.class);
    private static final byte[] CLOUDEVENTS_JSON = "application/cloudevents+json; charset=UTF-8"
            .getBytes(StandardCharsets.UTF_8);

    private final Emitter<byte[]> emitter;
    private final EventCodec codec;

    @Inject
    public EventPublisher(@Channel("events") Emitter<byte[]> emitter,
                          @ConfigProperty(name = "quarkus.application.name") String application) {
        this.emitter = emitter;
        this.codec = new EventCodec("/nnft/" + application);
    }

    /** This service's CloudEvent source, e.g. {@code /nnft/nnft-planner}. */
    public String source() {
        return codec.source();
    }

    /** Validates, sends and waits (at most 60 s) for the broker's acknowledgement. */
    public void publish(NnftEvent event) {
        publish(event, java.util.UUID.randomUUID().toString());
    }

    /**
     * As {@link #publish(NnftEvent)} with a CloudEvent id chosen by the caller (the gateway derives a
     * request's job id from it, {@link io.nnft.events.JobId#assign}).
     */
    public void publish(NnftEvent event, String eventId) {
        EventType type = event.type();
        if (event instanceof JobFailed failed) {
            JobTracing.failed(Span.current(), failed);
        }
        send(type.topic(), event.jobId(), codec.encode(event, eventId, java.time.Instant.now()),
                new RecordHeaders().add("content-type", CLOUDEVENTS_JSON));
        LOG.infof("published %s for job %s", type.eventName(), event.jobId());
    }

    /** Sends raw bytes (dead letters keep the original record unchanged). */
    public void send(String topic, String key, byte[] value, Headers headers) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        Message<byte[]> message = Message.of(value)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withTopic(topic).withKey(key).withHeaders(headers).build())
                // the caller's context, explicitly: the emitter may hand the message on to another thread
                .addMetadata(TracingMetadata.withCurrent(Context.current()))
                .withAck(() -> {
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    acked.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                });
        emitter.send(message);
        try {
            acked.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing to " + topic + " for " + key, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not publish to " + topic + " for job " + key + ": "
                    + e.getMessage(), e);
        }
    }
}
