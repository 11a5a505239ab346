package io.nnft.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.nnft.events.EventType;
import io.nnft.it.OtlpReceiver.ReceivedSpan;
import io.nnft.services.testing.TopicClient;
import io.nnft.storage.ObjectStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.Header;

/**
 * The spans of one job, as the services exported them to an {@link OtlpReceiver}: those that carry the job's id
 * ({@code nnft.job.id}, the stage spans of every service) and the spans around them in their traces (the Kafka
 * connector's producer and consumer spans, which know no job).
 */
final class JobTrace {
    static final String JOB_ID = "nnft.job.id";

    private final String jobId;
    private final List<ReceivedSpan> all;
    private final Map<String, ReceivedSpan> byId;

    JobTrace(String jobId, List<ReceivedSpan> all) {
        this.jobId = jobId;
        this.all = all;
        this.byId = all.stream().collect(Collectors.toMap(ReceivedSpan::spanId, Function.identity(), (a, b) -> a));
    }

    /** The spans of the job (its id as attribute). */
    List<ReceivedSpan> spans() {
        return all.stream().filter(s -> s.hasAttribute(JOB_ID, jobId)).toList();
    }

    /** The job's spans named {@code name} by {@code service} (e.g. nnft-planner, "planning FineTuneRequested"). */
    List<ReceivedSpan> named(String service, String name) {
        return spans().stream().filter(s -> s.service().equals(service) && s.name().equals(name)).toList();
    }

    /** The one span of the job named {@code name} by {@code service}. */
    ReceivedSpan one(String service, String name) {
        List<ReceivedSpan> found = named(service, name);
        assertThat(found).as("%s spans '%s' of job %s among %s", service, name, jobId, spans()).hasSize(1);
        return found.get(0);
    }

    /** Whether {@code service} exported a span named {@code name} for the job in {@code traceId}. */
    boolean has(String service, String name, String traceId) {
        return named(service, name).stream().anyMatch(s -> s.traceId().equals(traceId));
    }

    Optional<ReceivedSpan> parent(ReceivedSpan span) {
        return Optional.ofNullable(byId.get(span.parentSpanId()));
    }

    /**
     * Asserts that {@code stage}'s span hangs below a Kafka consumer span of its own service, itself below a Kafka
     * producer span of {@code upstream} for {@code topic}: the W3C traceparent went out with the record and came in
     * with it.
     */
    void assertCameOverKafka(ReceivedSpan stage, String upstream, String topic) {
        ReceivedSpan received = parent(stage).orElseThrow(() -> new AssertionError("no parent of " + stage));
        assertThat(received.kind()).as("parent of %s", stage).isEqualTo("CONSUMER");
        assertThat(received.service()).isEqualTo(stage.service());
        assertThat(received.attribute("messaging.destination.name")).as("%s", received).isEqualTo(topic);
        ReceivedSpan sent = parent(received).orElseThrow(() -> new AssertionError("no parent of " + received));
        assertThat(sent.kind()).as("parent of %s", received).isEqualTo("PRODUCER");
        assertThat(sent.service()).isEqualTo(upstream);
        assertThat(sent.attribute("messaging.destination.name")).as("%s", sent).isEqualTo(topic);
        assertThat(List.of(stage.traceId(), received.traceId())).containsOnly(sent.traceId());
    }

    /**
     * The job is one trace: the gateway's view names it ({@code traceId}), every record of the job carries it (W3C
     * traceparent), and the five services' spans for the job are in it, each stage below the Kafka spans of the record
     * that brought the job;
     * the training attempt and its epochs are spans with their metrics, and the worker JVM got the attempt's context.
     * As PipelineIT runs it: the request posted, then republished twice without its headers, trained for 2 epochs.
     */
    static void assertOneTrace(String jobId, String traceId, OtlpReceiver otlp, TopicClient topics, ObjectStore store)
            throws InterruptedException {
        assertThat(traceId).as("GET /jobs/%s traceId", jobId).matches("[0-9a-f]{32}");
        for (EventType type : List.of(EventType.FINE_TUNE_REQUESTED, EventType.PLANS_READY,
                EventType.PREPROCESSING_COMPLETED, EventType.TRAINING_STARTED, EventType.TRAINING_PROGRESS,
                EventType.TRAINING_COMPLETED, EventType.ENCODER_EXPORTED)) {
            // the first record: the gateway's own request (the two republished copies carry no traceparent)
            Header header = topics.readAll(type.topic(), r -> jobId.equals(r.key())).get(0).headers()
                    .lastHeader("traceparent");
            assertThat(header).as("traceparent header of %s", type.eventName()).isNotNull();
            assertThat(new String(header.value(), StandardCharsets.UTF_8)).as(type.eventName())
                    .startsWith("00-" + traceId + "-");
        }
        JobTrace trace = new JobTrace(jobId, otlp.await(spans -> {
            JobTrace t = new JobTrace(jobId, spans);
            return t.has("nnft-gateway", "accept FineTuneRequested", traceId)
                    && t.has("nnft-planner", "planning FineTuneRequested", traceId)
                    && t.has("nnft-preprocessor", "preprocessing PlansReady", traceId)
                    && t.has("nnft-trainer", "training PreprocessingCompleted", traceId)
                    && t.has("nnft-trainer", "training attempt", traceId)
                    && t.named("nnft-trainer", "training epoch").size() == 2
                    && t.has("nnft-exporter", "export TrainingCompleted", traceId);
        }, Duration.ofSeconds(30), "the spans of job " + jobId + " from all five services"));

        // Every span of the job is in its trace, but for the planner's intake of the two copies republished without
        // trace context: each a trace of its own, marked as the duplicate it is.
        for (ReceivedSpan s : trace.spans()) {
            if (!s.traceId().equals(traceId)) {
                assertThat(s.service()).as("%s", s).isEqualTo("nnft-planner");
                assertThat(s.attribute("nnft.intake")).as("%s", s).isEqualTo("duplicate");
            }
        }
        assertThat(trace.spans()).filteredOn(s -> s.traceId().equals(traceId)).extracting(ReceivedSpan::service)
                .contains("nnft-gateway", "nnft-planner", "nnft-preprocessor", "nnft-trainer", "nnft-exporter");
        assertThat(trace.spans()).filteredOn(s -> s.traceId().equals(traceId)).noneMatch(ReceivedSpan::error);

        ReceivedSpan planning = trace.named("nnft-planner", "planning FineTuneRequested").stream()
                .filter(s -> s.traceId().equals(traceId)).findFirst().orElseThrow();
        assertThat(planning.attribute("nnft.intake")).isEqualTo("first");
        trace.assertCameOverKafka(planning, "nnft-gateway", EventType.FINE_TUNE_REQUESTED.topic());
        trace.assertCameOverKafka(trace.one("nnft-preprocessor", "preprocessing PlansReady"), "nnft-planner",
                EventType.PLANS_READY.topic());
        ReceivedSpan intake = trace.one("nnft-trainer", "training PreprocessingCompleted");
        trace.assertCameOverKafka(intake, "nnft-preprocessor", EventType.PREPROCESSING_COMPLETED.topic());
        trace.assertCameOverKafka(trace.one("nnft-exporter", "export TrainingCompleted"), "nnft-trainer",
                EventType.TRAINING_COMPLETED.topic());

        // The attempt joins the trace through the ledger; its epochs are spans with their metrics.
        ReceivedSpan attempt = trace.one("nnft-trainer", "training attempt");
        assertThat(attempt.parentSpanId()).as("the attempt's parent: the intake that recorded the job")
                .isEqualTo(intake.spanId());
        assertThat(attempt.attributes()).containsEntry("nnft.attempt", 1L).containsEntry("nnft.outcome", "completed")
                .containsKey("nnft.device");
        List<ReceivedSpan> epochs = trace.named("nnft-trainer", "training epoch");
        assertThat(epochs).extracting(e -> e.attribute("nnft.epoch")).containsExactlyInAnyOrder(0L, 1L);
        for (ReceivedSpan e : epochs) {
            assertThat(e.parentSpanId()).isEqualTo(attempt.spanId());
            assertThat(e.attributes()).containsKeys("nnft.metric.train_loss", "nnft.metric.val_loss")
                    .containsEntry("nnft.epochs", 2L);
        }
        assertThat(epochs).anyMatch(e -> e.attribute("nnft.metric.mean_pseudo_dice") instanceof Double);
        // The worker JVM got the attempt's context (TRACEPARENT) and logged it.
        String workerLog = new String(store.getBytes("jobs/" + jobId + "/logs/worker-attempt-1.log"),
                StandardCharsets.UTF_8);
        assertThat(workerLog).contains("trace context 00-" + traceId + "-" + attempt.spanId() + "-");
    }
}
