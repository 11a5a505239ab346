package io.nnft.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nnft.checkpoint.NnUNetCheckpoint;
import io.nnft.checkpoint.SafeTensors;
import io.nnft.events.EncoderExported;
import io.nnft.events.EventCodec;
import io.nnft.events.EventType;
import io.nnft.events.FineTuneRequested;
import io.nnft.events.FineTuneRequested.Export;
import io.nnft.events.JobFailed;
import io.nnft.events.Task;
import io.nnft.events.TrainingCompleted;
import io.nnft.imageio.NdArray;
import io.nnft.services.testing.InMemoryChannelsAndS3;
import io.nnft.services.testing.InMemoryTopics;
import io.nnft.services.testing.RealS3;
import io.nnft.services.testing.Topics;
import io.nnft.storage.ObjectStore;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exporter on in-memory channels and a real S3 server: a TrainingCompleted for nnU-Net's own slim checkpoint
 * becomes an export in the bucket and an EncoderExported whose presigned URLs serve the encoder bit for bit;
 * a missing checkpoint fails the job naming the key, and the consumer goes on.
 */
@QuarkusTest
@WithTestResource(value = InMemoryChannelsAndS3.class,
        initArgs = @ResourceArg(name = InMemoryChannelsAndS3.INCOMING, value = "training-completed"))
class ExporterTests {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final EventCodec CODEC = new EventCodec("/nnft/test");
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Path MODEL = Path.of("src/test/resources/model");
    private static final String SOURCE_JOB = "export-src-1";

    @TempDir
    static Path tmp;

    @Inject
    @Any
    InMemoryConnector connector;

    @BeforeAll
    static void uploadModelFolder() {
        RealS3.store().uploadDirectory(MODEL, "jobs/" + SOURCE_JOB + "/model");
    }

    private static TrainingCompleted completed(String jobId, String modelJob, Export export) {
        FineTuneRequested request = new FineTuneRequested(jobId, Task.SEGMENTATION, "datasets/Dataset505_TinyIso/",
                null, null, null, null, null, null, null, null, null, export, null).withDefaults();
        String bucket = RealS3.store().bucket();
        String model = "s3://" + bucket + "/jobs/" + modelJob + "/model/";
        return new TrainingCompleted(jobId, request, model,
                new TrainingCompleted.Checkpoints(model + "fold_0/checkpoint_final.pth", null, null),
                0.4715, 0.47, null, 1, false, 12.5, "cpu()", new TrainingCompleted.BestMetric("ema_pseudo_dice", 0.4715, 0));
    }

    private static void publish(Topics topics, TrainingCompleted event) {
        // encode validates against schemas/TrainingCompleted.v1.schema.json and refuses an invalid event
        topics.publish(EventType.TRAINING_COMPLETED.topic(), event.jobId(), CODEC.encode(event));
    }

    private static ConsumerRecord<String, byte[]> awaitOne(Topics topics, EventType type, String jobId) {
        return topics.await(type.topic(), r -> jobId.equals(r.key()), 1, WAIT).get(0);
    }

    private static Map<String, NdArray> sourceEncoder() throws IOException {
        Map<String, NdArray> out = new LinkedHashMap<>();
        NnUNetCheckpoint.read(MODEL.resolve("fold_0/checkpoint_final.pth")).networkWeights().forEach((k, v) -> {
            if (k.startsWith("encoder.") && !k.contains(".all_modules.")) {
                out.put(k, v);
            }
        });
        return out;
    }

    @Test
    void exportsTheEncoderAndServesItThroughPresignedUrls() throws Exception {
        try (Topics topics = new InMemoryTopics(connector)) {
            Instant before = Instant.now();
            publish(topics, completed("export-ok-1", SOURCE_JOB, new Export(Export.Checkpoint.FINAL, true)));
            EncoderExported exported = CODEC.decode(awaitOne(topics, EventType.ENCODER_EXPORTED, "export-ok-1").value(),
                    EncoderExported.class);
            ObjectStore store = RealS3.store();
            assertThat(exported.task()).isEqualTo(Task.SEGMENTATION);
            assertThat(exported.checkpoint()).isEqualTo(Export.Checkpoint.FINAL);
            assertThat(exported.sourceCheckpoint()).endsWith("jobs/" + SOURCE_JOB + "/model/fold_0/checkpoint_final.pth");
            assertThat(exported.bucket()).isEqualTo(store.bucket());
            assertThat(exported.exportPrefix()).isEqualTo("s3://" + store.bucket() + "/jobs/export-ok-1/export/");
            assertThat(exported.artifacts()).extracting(EncoderExported.Artifact::name).containsExactlyInAnyOrder(
                    "encoder.safetensors", "encoder.pth", "manifest.json", "nnunet_model/plans.json",
                    "nnunet_model/dataset.json", "nnunet_model/fold_0/checkpoint_final.pth",
                    "classifier_starter.safetensors");
            // %test profile: url-expiry=1h
            assertThat(exported.urlsExpireAt()).isBetween(before.plus(Duration.ofMinutes(59)), Instant.now().plus(Duration.ofHours(1)));

            HttpClient http = HttpClient.newHttpClient();
            for (EncoderExported.Artifact a : exported.artifacts()) {
                assertThat(store.exists(store.locate(a.key()).key())).as(a.key()).isTrue();
                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(a.url())).GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(r.statusCode()).as(a.name()).isEqualTo(200);
                assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(r.body())))
                        .as(a.name()).isEqualTo(a.sha256());
                assertThat((long) r.body().length).as(a.name()).isEqualTo(a.sizeBytes());
                if (a.name().equals("encoder.safetensors")) {
                    Path file = tmp.resolve("encoder.safetensors");
                    Files.write(file, r.body());
                    Map<String, NdArray> back = SafeTensors.read(file).tensors();
                    Map<String, NdArray> expected = sourceEncoder();
                    assertThat(back.keySet()).containsExactlyElementsOf(expected.keySet());
                    expected.forEach((k, e) -> {
                        assertThat(back.get(k).shape()).as(k).containsExactly(e.shape());
                        assertThat(back.get(k).data()).as(k).isEqualTo(e.data());
                    });
                }
                if (a.name().equals("manifest.json")) {
                    JsonNode manifest = MAPPER.readTree(r.body());
                    assertThat(manifest.path("source").path("job").asText()).isEqualTo("export-ok-1");
                    assertThat(manifest.path("classifier_starter").path("num_classes").asInt()).isEqualTo(2);
                    // the manifest's digests agree with the event's
                    for (EncoderExported.Artifact other : exported.artifacts()) {
                        if (!other.name().equals("manifest.json")) {
                            assertThat(manifest.path("files").path(other.name()).path("sha256").asText())
                                    .as(other.name()).isEqualTo(other.sha256());
                        }
                    }
                }
            }
        }
    }

    @Test
    void theSameTrainingCompletedTwiceIsExportedOnce() {
        try (Topics topics = new InMemoryTopics(connector)) {
            byte[] once = CODEC.encode(completed("export-twice-1", SOURCE_JOB, new Export(Export.Checkpoint.FINAL, false)));
            topics.publish(EventType.TRAINING_COMPLETED.topic(), "export-twice-1", once);
            awaitOne(topics, EventType.ENCODER_EXPORTED, "export-twice-1");
            // a redelivery after the export ended: same CloudEvent id and source
            topics.publish(EventType.TRAINING_COMPLETED.topic(), "export-twice-1", once);
            // a later job on the same channel is exported, so the copy has been read by then
            publish(topics, completed("export-twice-2", SOURCE_JOB, new Export(Export.Checkpoint.FINAL, false)));
            awaitOne(topics, EventType.ENCODER_EXPORTED, "export-twice-2");
            assertThat(topics.readAll(EventType.ENCODER_EXPORTED.topic(), r -> "export-twice-1".equals(r.key())))
                    .as("EncoderExported for the copy").hasSize(1);
            assertThat(topics.readAll(EventType.JOB_FAILED.topic(), r -> "export-twice-1".equals(r.key()))).isEmpty();
        }
    }

    @Test
    void aMissingCheckpointFailsTheJobNamingTheKeyAndTheConsumerGoesOn() {
        try (Topics topics = new InMemoryTopics(connector)) {
            publish(topics, completed("export-missing-1", "export-missing-1", null));
            // best asked for, none recorded: the final checkpoint is exported
            publish(topics, completed("export-after-1", SOURCE_JOB, new Export(Export.Checkpoint.BEST, false)));

            JobFailed failed = CODEC.decode(awaitOne(topics, EventType.JOB_FAILED, "export-missing-1").value(),
                    JobFailed.class);
            assertThat(failed.stage()).isEqualTo(JobFailed.Stage.EXPORT);
            assertThat(failed.retriable()).isFalse();
            assertThat(failed.reason()).contains("jobs/export-missing-1/model/fold_0/checkpoint_final.pth");
            assertThat(failed.problemList()).anySatisfy(p -> assertThat(p.where()).isEqualTo("/checkpoints/final"));

            EncoderExported after = CODEC.decode(awaitOne(topics, EventType.ENCODER_EXPORTED, "export-after-1").value(),
                    EncoderExported.class);
            assertThat(after.checkpoint()).isEqualTo(Export.Checkpoint.FINAL);
            assertThat(after.artifact("classifier_starter.safetensors")).isEmpty();
            assertThat(after.artifact("encoder.safetensors")).isPresent();
        }
    }
}
