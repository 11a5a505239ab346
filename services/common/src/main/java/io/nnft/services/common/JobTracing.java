package io.nnft.services.common;

import io.nnft.events.JobFailed;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * One trace per job. The context travels in the Kafka record headers as W3C {@code traceparent}: SmallRye's Kafka
 * connector writes it for every record we send (its producer span, whose parent is the span current when
 * {@link EventPublisher} sends) and reads it for every record we receive (its consumer span, whose context
 * {@link #parentOf} hands on). Each stage's work is one span below that, named and attributed here, so that a
 * collector shows {@code POST /jobs} → planning → preprocessing → training (attempts, epochs) → export as one tree.
 *
 * <p>Without an OTLP endpoint the SDK is off ({@link TracingDefaults}) and so is this: its spans are invalid (no-ops),
 * so no trace id reaches a job view, the ledger or a worker. Quarkus' disabled SDK still hands out a minimal tracer
 * whose spans have ids (the Kafka connector's among them, never exported, no header written), hence the check here.
 */
@ApplicationScoped
public class JobTracing {
    public static final AttributeKey<String> JOB_ID = AttributeKey.stringKey("nnft.job.id");
    public static final AttributeKey<String> STAGE = AttributeKey.stringKey("nnft.stage");
    public static final AttributeKey<String> EVENT_TYPE = AttributeKey.stringKey("nnft.event.type");
    public static final AttributeKey<String> EVENT_ID = AttributeKey.stringKey("nnft.event.id");
    /** How the intake took the record: first, duplicate, resume, conflict, refused (see {@link EventIntake}). */
    public static final AttributeKey<String> INTAKE = AttributeKey.stringKey("nnft.intake");
    public static final AttributeKey<String> FAILURE_REASON = AttributeKey.stringKey("nnft.failure.reason");
    public static final AttributeKey<Boolean> FAILURE_RETRIABLE = AttributeKey.booleanKey("nnft.failure.retriable");
    public static final AttributeKey<Boolean> CANCELLED = AttributeKey.booleanKey("nnft.cancelled");
    /** The W3C trace context header (Kafka records) and the name {@link #traceparent} formats. */
    public static final String TRACEPARENT = "traceparent";

    private static final TextMapGetter<Map<String, String>> MAP_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final Tracer tracer;
    private final boolean enabled;

    @Inject
    public JobTracing(Tracer tracer, @ConfigProperty(name = "quarkus.otel.sdk.disabled") boolean sdkDisabled) {
        this.enabled = !sdkDisabled;
        this.tracer = enabled ? tracer : TracerProvider.noop().get(JobTracing.class.getName());
    }

    /** Whether spans are made and exported (an OTLP endpoint is configured). */
    public boolean enabled() {
        return enabled;
    }

    /** A span for work on one job, below {@code parent}; the caller makes it current and ends it. */
    public Span start(String name, String jobId, Context parent) {
        if (!enabled) {
            return Span.getInvalid();
        }
        Span span = tracer.spanBuilder(name).setParent(parent).startSpan();
        if (jobId != null) {
            span.setAttribute(JOB_ID, jobId);
        }
        return span;
    }

    /** The tracer for spans of our own, a no-op one while tracing is off. */
    public Tracer tracer() {
        return tracer;
    }

    /**
     * The context of a record we received: the connector's consumer span, itself a child of the producer's span
     * when the record carried a {@code traceparent}; else the current context.
     */
    public static Context parentOf(Message<?> message) {
        return TracingMetadata.fromMessage(message).map(TracingMetadata::getCurrentContext).orElse(Context.current());
    }

    /**
     * The trace id in a record's {@code traceparent} header: the trace its producer was in. Empty for a record sent
     * without one (kcat, a producer without tracing), whose consumers each start a trace of their own, and while
     * tracing is off.
     */
    public Optional<String> traceIdOf(Message<?> message) {
        if (!enabled) {
            return Optional.empty();
        }
        return message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> m.getHeaders().lastHeader(TRACEPARENT))
                .map(Header::value)
                .flatMap(v -> traceIdOf(new String(v, StandardCharsets.UTF_8)));
    }

    /** The trace id of a W3C {@code traceparent} ({@code 00-<trace id>-<span id>-<flags>}), when it is valid. */
    public static Optional<String> traceIdOf(String traceparent) {
        SpanContext span = Span.fromContext(context(traceparent)).getSpanContext();
        return span.isValid() ? Optional.of(span.getTraceId()) : Optional.empty();
    }

    /** The trace id of the current span; empty when there is none (tracing off). */
    public static Optional<String> currentTraceId() {
        String id = Span.current().getSpanContext().getTraceId();
        return TraceId.isValid(id) ? Optional.of(id) : Optional.empty();
    }

    /** The W3C {@code traceparent} of the span in {@code context}, for carriers of our own (ledger, worker JVM). */
    public static Optional<String> traceparent(Context context) {
        if (!Span.fromContext(context).getSpanContext().isValid()) {
            return Optional.empty();
        }
        Map<String, String> carrier = new HashMap<>();
        W3CTraceContextPropagator.getInstance().inject(context, carrier, Map::put);
        return Optional.ofNullable(carrier.get(TRACEPARENT));
    }

    /** The remote parent a {@link #traceparent} names; the root context for null or garbage. */
    public static Context context(String traceparent) {
        if (traceparent == null || traceparent.isBlank()) {
            return Context.root();
        }
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), Map.of(TRACEPARENT, traceparent),
                MAP_GETTER);
    }

    /**
     * Marks {@code span} with a {@code JobFailed} being published: status ERROR with the reason, or for a
     * cancellation only {@code nnft.cancelled} (a user's decision, not an error).
     */
    public static void failed(Span span, JobFailed failed) {
        if (failed.stage() != null) {
            span.setAttribute(STAGE, failed.stage().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (failed.wasCancelled()) {
            span.setAttribute(CANCELLED, true);
            return;
        }
        span.setAttribute(FAILURE_REASON, failed.reason());
        if (failed.retriable() != null) {
            span.setAttribute(FAILURE_RETRIABLE, failed.retriable());
        }
        span.setStatus(StatusCode.ERROR, failed.reason());
    }
}
