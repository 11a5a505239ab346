package io.nnft.it;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nnft.checkpoint.NnUNetCheckpoint;
import io.nnft.checkpoint.SafeTensors;
import io.nnft.embedded.LocalPlatform;
import io.nnft.events.DeadLetter;
import io.nnft.events.EncoderExported;
import io.nnft.events.EventCodec;
import io.nnft.events.EventType;
import io.nnft.events.JobFailed;
import io.nnft.events.PlansReady;
import io.nnft.events.TrainingCompleted;
import io.nnft.imageio.NdArray;
import io.nnft.it.OtlpReceiver.ReceivedSpan;
import io.nnft.network.CheckpointNetworks;
import io.nnft.network.Networks;
import io.nnft.network.PlainConvEncoder;
import io.nnft.network.PlainConvUNet;
import io.nnft.network.StateDict;
import io.nnft.services.testing.TopicClient;
import io.nnft.storage.ObjectStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The five services in their own JVMs around a real broker and a real S3 server, started like
 * {@code ./nnft local} does: a fine-tune request posted to the gateway goes through planning,
 * preprocessing, training and export, and the encoder fetched from the bucket is the trained one. The services
 * export their spans to an {@link OtlpReceiver}: the job is one trace from {@code POST /jobs} to the export, and a
 * failed job's trace carries the error.
 */
class PipelineIT {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final EventCodec CODEC = new EventCodec("/nnft/it");
    private static final Duration WAIT = Duration.ofMinutes(6);
    private static final String API_KEY = "it-" + Long.toHexString(System.nanoTime());

    @TempDir
    static Path data;

    static Path root;
    static LocalPlatform platform;
    static OtlpReceiver otlp;

    @BeforeAll
    static void start() throws java.io.IOException {
        root = Path.of(System.getProperty("nnft.repo.root", "../..")).toAbsolutePath().normalize();
        otlp = OtlpReceiver.start();
        platform = LocalPlatform.start(root, data, false, "nnft", LocalPlatform.ALL_SERVICES,
                Map.of("nnft.gateway.api-keys", API_KEY, "nnft.trainer.worker-heap", "1g",
                        // what OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_EXPORTER_OTLP_PROTOCOL set in a deployment
                        "otel.exporter.otlp.endpoint", otlp.endpoint(), "otel.exporter.otlp.protocol", "http/protobuf",
                        // export each batch within a moment (default 5 s)
                        "quarkus.otel.bsp.schedule.delay", "200ms"));
        ObjectStore store = platform.store();
        store.uploadDirectory(root.resolve("demo/Dataset102_SynthB"), "datasets/Dataset102_SynthB");
        store.uploadDirectory(root.resolve("demo/pretrained/Dataset101_SynthA"), "models/Dataset101_SynthA");
        store.uploadDirectory(Path.of("src/test/resources/Dataset002_CTPair"), "datasets/Dataset002_CTPair");
        uploadClassificationDataset(store, root);
    }

    /**
     * A classification dataset without labelsTr: the demo's images, each labelled by which of its two
     * structures is larger ("sphere" or "ellipsoid", counted in the demo's own label maps).
     */
    static void uploadClassificationDataset(ObjectStore store, Path root) throws java.io.IOException {
        Path demo = root.resolve("demo/Dataset102_SynthB");
        String prefix = "datasets/Dataset103_SynthClasses/";
        StringBuilder csv = new StringBuilder("case,label\n");
        try (var labels = Files.list(demo.resolve("labelsTr"))) {
            for (Path l : (Iterable<Path>) labels.sorted()::iterator) {
                String id = l.getFileName().toString().replace(".nii.gz", "");
                int[] voxels = io.nnft.imageio.Nifti.read(l).data().toInts();
                long sphere = java.util.Arrays.stream(voxels).filter(v -> v == 1).count();
                long ellipsoid = java.util.Arrays.stream(voxels).filter(v -> v == 2).count();
                csv.append(id).append(sphere > ellipsoid ? ",sphere\n" : ",ellipsoid\n");
                store.putFile(prefix + "imagesTr/" + id + "_0000.nii.gz", demo.resolve("imagesTr/" + id + "_0000.nii.gz"));
            }
        }
        store.putFile(prefix + "dataset.json", demo.resolve("dataset.json"));
        store.put(prefix + "classification.csv", csv.toString().getBytes(StandardCharsets.UTF_8), "text/csv");
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
        if (otlp != null) {
            otlp.close();
        }
    }

    private static String submit(String body) throws Exception {
        return GatewayRequests.submit(platform, API_KEY, body);
    }

    private static ConsumerRecord<String, byte[]> awaitOne(TopicClient topics, EventType type, String jobId) {
        return topics.await(type.topic(), r -> jobId.equals(r.key()), 1, WAIT).get(0);
    }

    @Test
    void aFineTuneRunsFromRequestToExportedEncoder() throws Exception {
        String jobId = submit("""
                {"jobId": "it-finetune-1", "dataset": "s3://nnft/datasets/Dataset102_SynthB/",
                 "pretrained": "s3://nnft/models/Dataset101_SynthA/", "configuration": "3d_fullres", "fold": 0,
                 "seed": 7, "budget": {"epochs": 2, "iterationsPerEpoch": 3, "validationIterations": 1},
                 "freeze": {"policy": "encoder"}, "export": {"checkpoint": "final"}}""");
        try (TopicClient topics = new TopicClient(platform.bootstrapServers())) {
            // The same request published twice more (a producer retrying, a redelivery): still one job.
            byte[] request = awaitOne(topics, EventType.FINE_TUNE_REQUESTED, jobId).value();
            for (int i = 0; i < 2; i++) {
                topics.publish(EventType.FINE_TUNE_REQUESTED.topic(), jobId, request);
            }
            PlansReady plans = CODEC.decode(awaitOne(topics, EventType.PLANS_READY, jobId).value(), PlansReady.class);
            assertThat(plans.plansTransferred()).isTrue();
            awaitOne(topics, EventType.PREPROCESSING_COMPLETED, jobId);
            topics.await(EventType.TRAINING_PROGRESS.topic(), r -> jobId.equals(r.key()), 2, WAIT);
            TrainingCompleted completed = CODEC.decode(awaitOne(topics, EventType.TRAINING_COMPLETED, jobId).value(),
                    TrainingCompleted.class);
            assertThat(completed.epochsRun()).isEqualTo(2);
            // nnU-Net's final validation ran on fold 0's held-out cases: a real Dice, not a pseudo-Dice.
            assertThat(completed.finalValidationDice()).isNotNull().isBetween(0.0, 1.0);
            EncoderExported exported = CODEC.decode(awaitOne(topics, EventType.ENCODER_EXPORTED, jobId).value(),
                    EncoderExported.class);

            // The user's side: fetch the encoder with its presigned URL, the checkpoint from the bucket.
            Path encoderFile = data.resolve("encoder.safetensors");
            String url = exported.artifact("encoder.safetensors").orElseThrow().url();
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofFile(encoderFile));
            Path checkpointFile = data.resolve("checkpoint_final.pth");
            ObjectStore store = platform.store();
            store.download(store.locate(completed.checkpoints().finalCheckpoint()).key(), checkpointFile);
            assertEncoderReproducesTheTrainedNetwork(NnUNetCheckpoint.read(checkpointFile), encoderFile);

            // Three requests, one job: the planner recognises the repeated event (same id and source) and ignores it,
            // so planning, preprocessing and training each ran once; one TrainingCompleted and one EncoderExported.
            Thread.sleep(3000); // the duplicates have long been consumed; give stragglers a moment
            assertThat(topics.readAll(EventType.PLANS_READY.topic(), r -> jobId.equals(r.key()))).hasSize(1);
            assertThat(topics.readAll(EventType.PREPROCESSING_COMPLETED.topic(), r -> jobId.equals(r.key()))).hasSize(1);
            assertThat(topics.readAll(EventType.TRAINING_COMPLETED.topic(), r -> jobId.equals(r.key()))).hasSize(1);
            assertThat(topics.readAll(EventType.ENCODER_EXPORTED.topic(), r -> jobId.equals(r.key()))).hasSize(1);
            assertThat(store.list("jobs/" + jobId + "/claims/")).extracting(o -> o.key())
                    .containsExactly("jobs/" + jobId + "/claims/attempt-1.json");

            JobTrace.assertOneTrace(jobId, GatewayRequests.job(platform, API_KEY, jobId).path("traceId").asText(), otlp,
                    topics, store);
        }
    }

    @Test
    void aFailedJobsTraceCarriesTheError() throws Exception {
        String jobId = submit("{\"jobId\": \"it-failed-1\", \"dataset\": \"s3://nnft/datasets/Dataset999_Missing/\"}");
        try (TopicClient topics = new TopicClient(platform.bootstrapServers())) {
            JobFailed failed = CODEC.decode(awaitOne(topics, EventType.JOB_FAILED, jobId).value(), JobFailed.class);
            assertThat(failed.stage()).isEqualTo(JobFailed.Stage.PLANNING);
            String traceId = GatewayRequests.job(platform, API_KEY, jobId).path("traceId").asText();
            assertThat(traceId).as("GET /jobs/%s traceId", jobId).matches("[0-9a-f]{32}");
            JobTrace trace = new JobTrace(jobId, otlp.await(spans -> {
                JobTrace t = new JobTrace(jobId, spans);
                return t.has("nnft-gateway", "accept FineTuneRequested", traceId)
                        && t.named("nnft-planner", "planning FineTuneRequested").stream().anyMatch(ReceivedSpan::error);
            }, Duration.ofSeconds(30), "the gateway's span and the planner's failed span of job " + jobId));
            ReceivedSpan planning = trace.one("nnft-planner", "planning FineTuneRequested");
            assertThat(planning.traceId()).isEqualTo(traceId);
            assertThat(planning.statusMessage()).isEqualTo(failed.reason());
            assertThat(planning.attributes()).containsEntry("nnft.failure.reason", failed.reason())
                    .containsEntry("nnft.failure.retriable", false).containsEntry("nnft.stage", "planning");
            trace.assertCameOverKafka(planning, "nnft-gateway", EventType.FINE_TUNE_REQUESTED.topic());
        }
    }

    /** The exported encoder, loaded alone into DJL, gives the trained network's encoder outputs. */
    private static void assertEncoderReproducesTheTrainedNetwork(NnUNetCheckpoint checkpoint, Path encoderFile)
            throws Exception {
        Map<String, NdArray> weights = new LinkedHashMap<>();
        SafeTensors.read(encoderFile).tensors().forEach((k, v) -> weights.put(k.substring("encoder.".length()), v));
        try (NDManager manager = Networks.engine().newBaseManager()) {
            PlainConvUNet trained = CheckpointNetworks.network(checkpoint, manager, false, "checkpoint_final.pth");
            PlainConvEncoder encoder = new PlainConvEncoder(CheckpointNetworks.config(checkpoint, false, "checkpoint"));
            NDArray x = manager.randomNormal(new Shape(1, 1, 32, 32, 32));
            encoder.initialize(manager, DataType.FLOAT32, x.getShape());
            StateDict.load(encoder, weights, "encoder.safetensors");
            NDList expected = trained.encoder().forward(new ParameterStore(manager, false), new NDList(x), false);
            NDList actual = encoder.forward(new ParameterStore(manager, false), new NDList(x), false);
            assertThat(actual).hasSameSizeAs(expected);
            for (int s = 0; s < expected.size(); s++) {
                float max = expected.get(s).sub(actual.get(s)).abs().max().getFloat();
                assertThat(max).as("skip %d max |diff|", s).isLessThan(1e-5f);
            }
        }
    }

    @Test
    void aClassifierIsTrainedOnThePretrainedEncoderAndExportedWithItsHead() throws Exception {
        String jobId = submit("""
                {"jobId": "it-classify-1", "task": "classification",
                 "dataset": "s3://nnft/datasets/Dataset103_SynthClasses/",
                 "pretrained": "s3://nnft/models/Dataset101_SynthA/fold_all/checkpoint_final.pth",
                 "configuration": "3d_fullres", "fold": 0, "seed": 7,
                 "budget": {"epochs": 2, "iterationsPerEpoch": 2},
                 "optimizer": {"initialLr": 1e-3, "encoderLrFactor": 0.1},
                 "earlyStopping": {"metric": "balanced_accuracy", "patience": 20},
                 "freeze": {"policy": "encoder", "schedule": [{"epoch": 1, "unfreezePrefixes": [""]}]},
                 "classification": {"labelsFile": "classification.csv",
                                    "head": {"hiddenUnits": [16], "dropout": 0.1}, "crop": "center"}}""");
        try (TopicClient topics = new TopicClient(platform.bootstrapServers())) {
            PlansReady plans = CODEC.decode(awaitOne(topics, EventType.PLANS_READY, jobId).value(), PlansReady.class);
            // the encoder's preprocessing: the pretrained model's plans, taken from the folder above its checkpoint
            assertThat(plans.plansTransferred()).isTrue();
            ObjectStore store = platform.store();
            JsonNode transferred = MAPPER.readTree(store.getBytes(store.locate(plans.plans()).key()));
            JsonNode pretrained = MAPPER.readTree(root.resolve("demo/pretrained/Dataset101_SynthA/plans.json").toFile());
            assertThat(transferred.path("configurations").path("3d_fullres"))
                    .isEqualTo(pretrained.path("configurations").path("3d_fullres"));
            awaitOne(topics, EventType.PREPROCESSING_COMPLETED, jobId);
            List<io.nnft.events.TrainingProgress> progress = awaitUnlessFailed(topics, EventType.TRAINING_PROGRESS, jobId, 2)
                    .stream()
                    .map(r -> CODEC.decode(r.value(), io.nnft.events.TrainingProgress.class)).toList();
            assertThat(progress.get(0).metrics()).containsKeys("train_loss", "val_loss", "accuracy", "balanced_accuracy",
                    "auc", "confusion/ellipsoid/sphere", "lr", "encoder_lr");
            TrainingCompleted completed = CODEC.decode(awaitUnlessFailed(topics, EventType.TRAINING_COMPLETED, jobId, 1)
                    .get(0).value(), TrainingCompleted.class);
            assertThat(completed.epochsRun()).isEqualTo(2);
            assertThat(completed.request().task()).isEqualTo(io.nnft.events.Task.CLASSIFICATION);
            assertThat(completed.finalMetrics()).containsKey("balanced_accuracy");
            EncoderExported exported = CODEC.decode(awaitUnlessFailed(topics, EventType.ENCODER_EXPORTED, jobId, 1)
                    .get(0).value(), EncoderExported.class);
            assertThat(exported.task()).isEqualTo(io.nnft.events.Task.CLASSIFICATION);
            assertThat(exported.artifacts()).extracting(EncoderExported.Artifact::name).contains("encoder.safetensors",
                    "classifier.safetensors", "manifest.json", "classifier_model/classification.json",
                    "classifier_model/fold_0/checkpoint_final.pth");

            // The user's side: the classifier's weights by their presigned URL, the manifest from the bucket.
            Path classifierFile = data.resolve("classifier.safetensors");
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                            exported.artifact("classifier.safetensors").orElseThrow().url())).build(),
                    HttpResponse.BodyHandlers.ofFile(classifierFile));
            JsonNode manifest = MAPPER.readTree(store.getBytes(store.locate(
                    exported.artifact("manifest.json").orElseThrow().key()).key()));
            JsonNode classifier = manifest.path("classifier");
            assertThat(classifier.path("classes").toString()).isEqualTo("[\"ellipsoid\",\"sphere\"]");
            Map<String, NdArray> tensors = SafeTensors.read(classifierFile).tensors();
            assertThat(tensors.keySet()).anyMatch(k -> k.startsWith("encoder.stages."));
            List<String> head = tensors.keySet().stream().filter(k -> k.startsWith("head.")).toList();
            assertThat(head).containsExactly("head.fc.0.weight", "head.fc.0.bias", "head.fc.1.weight", "head.fc.1.bias");
            for (String k : head) {
                long[] expected = MAPPER.convertValue(classifier.path("head_shapes").path(k), long[].class);
                assertThat(tensors.get(k).shape()).as(k).containsExactly(expected);
            }
            assertThat(tensors.get("head.fc.1.weight").shape()).containsExactly(2, 16);
            assertThat(tensors.get("head.fc.0.weight").shape()[1]).isEqualTo(classifier.path("head_in_features").asLong());
            // the encoder part is the exported encoder, tensor for tensor
            Map<String, NdArray> encoder = SafeTensors.read(downloadArtifact(store, exported, "encoder.safetensors"))
                    .tensors();
            assertThat(tensors.keySet()).containsAll(encoder.keySet());
            assertThat(tensors).hasSize(encoder.size() + 4);
            for (String k : encoder.keySet()) {
                assertThat(tensors.get(k).toFloats()).as(k).isEqualTo(encoder.get(k).toFloats());
            }
        }
    }

    /** {@code n} events of {@code type} for the job; a JobFailed for it ends the wait at once, with its reason. */
    private static List<ConsumerRecord<String, byte[]>> awaitUnlessFailed(TopicClient topics, EventType type,
                                                                         String jobId, int n) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                return topics.await(type.topic(), r -> jobId.equals(r.key()), n, Duration.ofSeconds(5));
            } catch (AssertionError notYet) {
                List<ConsumerRecord<String, byte[]>> failed = List.of();
                try {
                    failed = topics.await(EventType.JOB_FAILED.topic(), r -> jobId.equals(r.key()), 1, Duration.ofMillis(500));
                } catch (AssertionError none) {
                    // not failed: keep waiting
                }
                if (!failed.isEmpty()) {
                    throw new AssertionError("job " + jobId + " failed before " + type.eventName() + ": "
                            + new String(failed.get(0).value(), StandardCharsets.UTF_8));
                }
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
            }
        }
    }

    private static Path downloadArtifact(ObjectStore store, EncoderExported exported, String name) {
        Path file = data.resolve(exported.jobId() + "-" + name);
        store.download(store.locate(exported.artifact(name).orElseThrow().key()).key(), file);
        return file;
    }

    @Test
    void malformedEventsGoToTheDeadLetterTopicAndTheNextJobStillRuns() throws Exception {
        try (TopicClient topics = new TopicClient(platform.bootstrapServers())) {
            topics.publish(EventType.FINE_TUNE_REQUESTED.topic(), "it-garbage", new byte[] {0x01, 0x02, 'x'});
            List<ConsumerRecord<String, byte[]>> dead = topics.await(EventType.DEAD_LETTER_TOPIC,
                    r -> "it-garbage".equals(r.key()), 1, WAIT);
            assertThat(new String(dead.get(0).headers().lastHeader(DeadLetter.REASON_HEADER).value(),
                    StandardCharsets.UTF_8)).contains("not JSON");
            String jobId = submit("{\"dataset\":\"datasets/Dataset002_CTPair/\"}");
            PlansReady ready = CODEC.decode(awaitOne(topics, EventType.PLANS_READY, jobId).value(), PlansReady.class);
            JsonNode plans = MAPPER.readTree(platform.store().getBytes(platform.store().locate(ready.plans()).key()));
            assertThat(plans.path("dataset_name").asText()).isEqualTo("Dataset002_CTPair");
        }
    }
}
