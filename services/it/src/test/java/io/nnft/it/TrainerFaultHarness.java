package io.nnft.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nnft.embedded.EmbeddedKafka;
import io.nnft.embedded.EmbeddedS3;
import io.nnft.embedded.ServiceProcess;
import io.nnft.events.Configuration;
import io.nnft.events.EventCodec;
import io.nnft.events.EventType;
import io.nnft.events.FineTuneRequested;
import io.nnft.events.Fold;
import io.nnft.events.PreprocessingCompleted;
import io.nnft.events.TrainingProgress;
import io.nnft.imageio.NdArray;
import io.nnft.imageio.Nifti;
import io.nnft.imageio.NiftiImage;
import io.nnft.services.testing.TopicClient;
import io.nnft.storage.ObjectStore;
import io.nnft.storage.StorageSettings;
import io.nnft.training.synth.SyntheticCase;
import io.nnft.training.synth.SyntheticDatasetWriter;
import io.nnft.training.synth.SyntheticGenerator;
import io.nnft.training.synth.SyntheticTask;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The trainer's fault tests' world: a real broker and a real S3 server in this JVM, a tiny preprocessed dataset
 * in the bucket (3 synthetic 24³ cases, a 4/8/16-feature PlainConvUNet with patch 16³, as the trainer's own tests
 * use: an epoch of 2 iterations takes about a second), and trainer services started from their built fast-jar
 * as their own JVMs ({@code services/trainer/target/quarkus-app/quarkus-run.jar}), each with its own ledger owner
 * id, Kafka consumer group (so every trainer receives every event) and work folder. Logs stay under
 * {@code target/fault-it/<test>/logs} for a failed run.
 */
final class TrainerFaultHarness implements AutoCloseable {
    static final EventCodec CODEC = new EventCodec("/nnft/it");
    static final Duration WAIT = Duration.ofSeconds(150);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String BUCKET = "nnft";
    private static final String PRE = "datasets/Dataset001_Synthetic/preprocessed/3d_fullres/";

    private final Path dir;
    private final Path jar;
    private final EmbeddedKafka kafka;
    private final EmbeddedS3 s3;
    private final ObjectStore store;
    private final List<ServiceProcess> trainers = java.util.Collections.synchronizedList(new ArrayList<>());

    private TrainerFaultHarness(Path dir, Path jar, EmbeddedKafka kafka, EmbeddedS3 s3, ObjectStore store) {
        this.dir = dir;
        this.jar = jar;
        this.kafka = kafka;
        this.s3 = s3;
        this.store = store;
    }

    /** Starts the broker and the S3 server and uploads the preprocessed dataset; {@code name} names the folder. */
    static TrainerFaultHarness start(String name) throws IOException {
        Path root = Path.of(System.getProperty("nnft.repo.root", "../..")).toAbsolutePath().normalize();
        // nnft.it.trainer-jar: a copy of the built fast-jar, for running these tests while the trainer is rebuilt.
        Path jar = Path.of(System.getProperty("nnft.it.trainer-jar",
                root.resolve("services/trainer/target/quarkus-app/quarkus-run.jar").toString()));
        Path dir = Path.of("target", "fault-it", name).toAbsolutePath();
        deleteRecursively(dir);
        Files.createDirectories(dir);
        EmbeddedKafka kafka = EmbeddedKafka.start();
        EmbeddedS3 s3 = null;
        try {
            List<String> topics = new ArrayList<>(EventType.topics());
            topics.add(EventType.DEAD_LETTER_TOPIC);
            kafka.createTopics(topics, 1);
            String accessKey = "fault-" + UUID.randomUUID().toString().substring(0, 8);
            s3 = EmbeddedS3.start(accessKey, UUID.randomUUID().toString());
            ObjectStore store = new ObjectStore(StorageSettings.of(s3.endpoint(), accessKey, s3.secretKey(), BUCKET));
            store.ensureBucket();
            store.uploadDirectory(preprocessed(dir.resolve("preprocessed")), PRE);
            return new TrainerFaultHarness(dir, jar, kafka, s3, store);
        } catch (RuntimeException | IOException e) {
            if (s3 != null) {
                s3.close();
            }
            kafka.close();
            throw e;
        }
    }

    /** The trainer tests' dataset: nnU-Net's preprocessed layout, plans, dataset.json and gt_segmentations/. */
    private static Path preprocessed(Path dir) throws IOException {
        SyntheticGenerator g = new SyntheticGenerator(SyntheticTask.A, new int[] {24, 24, 24}, 1.0, 5);
        List<SyntheticCase> cases = SyntheticDatasetWriter.cases(g, 3);
        SyntheticDatasetWriter.writePreprocessed(dir, SyntheticTask.A, cases, new int[] {16, 16, 16},
                new int[] {4, 8, 16}, 2);
        Path gt = Files.createDirectories(dir.resolve("gt_segmentations"));
        for (SyntheticCase c : cases) {
            long[] shape = {c.shape()[0], c.shape()[1], c.shape()[2]};
            Nifti.write(gt.resolve(c.id() + ".nii.gz"), NiftiImage.of(NdArray.ofShorts(shape, c.labels()),
                    new double[] {1, 1, 1}));
        }
        return dir;
    }

    /**
     * Starts a trainer JVM as ledger owner {@code owner} (its own consumer group and work folder {@code work})
     * and waits until it is ready. {@code settings} are {@code nnft.trainer.*} keys without the prefix.
     */
    ServiceProcess startTrainer(String processName, String owner, String work, Map<String, String> settings) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        config.put("nnft.storage.endpoint", s3.endpoint());
        config.put("nnft.storage.access-key", s3.accessKey());
        config.put("nnft.storage.secret-key", s3.secretKey());
        config.put("nnft.storage.bucket", BUCKET);
        config.put("mp.messaging.incoming.preprocessing-completed.group.id", "nnft-trainer-" + owner);
        config.put("mp.messaging.incoming.job-cancel-requested.group.id", "nnft-trainer-cancel-" + owner);
        config.put("nnft.trainer.owner-id", owner);
        config.put("nnft.trainer.work-dir", workDir(work).toString());
        config.put("nnft.trainer.worker-heap", "1g");
        config.put("nnft.trainer.data-threads", "1");
        // Two shared cores: one libtorch thread per worker (the service hands these on to its workers).
        config.put("ai.djl.pytorch.num_threads", "1");
        config.put("ai.djl.pytorch.num_interop_threads", "1");
        settings.forEach((k, v) -> config.put("nnft.trainer." + k, v));
        ServiceProcess p = ServiceProcess.start(processName, jar, config, dir.resolve("logs"), Duration.ofSeconds(120));
        trainers.add(p);
        return p;
    }

    /** The work folder of the trainer started with {@code work}. */
    Path workDir(String work) {
        return dir.resolve("work").resolve(work);
    }

    ObjectStore store() {
        return store;
    }

    EmbeddedS3 s3() {
        return s3;
    }

    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** A prepared job: the preprocessed dataset above, fold all, {@code epochs} × 2 iterations, 1 validation iteration. */
    PreprocessingCompleted event(String jobId, int epochs) {
        String b = "s3://" + BUCKET + "/";
        FineTuneRequested r = new FineTuneRequested(jobId, null, b + "datasets/Dataset001_Synthetic/", null, null,
                Configuration.THREE_D_FULLRES, Fold.ALL, 7, new FineTuneRequested.Budget(epochs, 2, 1, 1), null,
                null, null, null, null);
        return new PreprocessingCompleted(jobId, r, b + PRE + "nnUNetPlans.json", b + PRE + "dataset.json", b + PRE,
                null, Configuration.THREE_D_FULLRES, 3, 1L, 1.0);
    }

    void publish(TopicClient topics, PreprocessingCompleted event) {
        topics.publish(EventType.PREPROCESSING_COMPLETED.topic(), event.jobId(), CODEC.encode(event));
    }

    static List<ConsumerRecord<String, byte[]>> await(TopicClient topics, EventType type, String jobId, int n) {
        return topics.await(type.topic(), r -> jobId.equals(r.key()), n, WAIT);
    }

    /**
     * Exactly {@code n} events of {@code type} for the job: n arrive, and {@code settle} later the topic holds no
     * further one. When they do not arrive, the failure shows the job's {@code JobFailed} events, if any.
     */
    List<ConsumerRecord<String, byte[]>> awaitExactly(TopicClient topics, EventType type, String jobId, int n,
                                                      Duration settle) throws InterruptedException {
        try {
            await(topics, type, jobId, n);
        } catch (AssertionError e) {
            List<String> failed = new ArrayList<>();
            try {
                topics.await(EventType.JOB_FAILED.topic(), r -> jobId.equals(r.key()), 1, Duration.ofSeconds(3))
                        .forEach(r -> failed.add(new String(r.value(), java.nio.charset.StandardCharsets.UTF_8)));
            } catch (AssertionError none) {
                // no JobFailed either
            }
            throw new AssertionError(e.getMessage() + "; JobFailed for " + jobId + ": " + failed, e);
        }
        Thread.sleep(settle.toMillis());
        List<ConsumerRecord<String, byte[]>> all = readAll(type, jobId);
        assertThat(all).as("%s events for %s", type.eventName(), jobId).hasSize(n);
        return all;
    }

    /** Every event of {@code type} for the job now in its topic (read from the beginning to the end offsets). */
    List<ConsumerRecord<String, byte[]>> readAll(EventType type, String jobId) {
        try (TopicClient topics = new TopicClient(kafka.bootstrapServers())) {
            return topics.readAll(type.topic(), r -> jobId.equals(r.key()));
        }
    }

    /** Starts the given trainers at once (two JVM start-ups overlap): see {@link #startTrainer}. */
    List<ServiceProcess> startTrainers(Map<String, String> settings, String... owners) {
        List<java.util.concurrent.CompletableFuture<ServiceProcess>> starting = java.util.Arrays.stream(owners)
                .map(o -> java.util.concurrent.CompletableFuture.supplyAsync(() -> startTrainer("trainer-" + o, o, o,
                        settings))).toList();
        return starting.stream().map(java.util.concurrent.CompletableFuture::join).toList();
    }

    /** Stops every trainer still running (SIGTERM, all at once) and forgets them. */
    void stopTrainers() {
        List<ServiceProcess> running;
        synchronized (trainers) {
            running = new ArrayList<>(trainers);
            trainers.clear();
        }
        running.parallelStream().forEach(ServiceProcess::close);
    }

    /** The epochs of every TrainingProgress of the job now in the topic, in publication order. */
    List<Integer> progressEpochs(String jobId) {
        return readAll(EventType.TRAINING_PROGRESS, jobId).stream()
                .map(r -> CODEC.decode(r.value(), TrainingProgress.class).epoch()).toList();
    }

    /** {@code jobs/<id>/state.json}, the trainer's ledger entry, as JSON. */
    JsonNode state(String jobId) {
        return json("jobs/" + jobId + "/state.json");
    }

    /** {@code jobs/<id>/claims/attempt-<n>.json}: who claimed attempt n, when, and its first lease. */
    Optional<JsonNode> claim(String jobId, int attempt) {
        String key = "jobs/" + jobId + "/claims/attempt-" + attempt + ".json";
        return store.exists(key) ? Optional.of(json(key)) : Optional.empty();
    }

    List<String> claimKeys(String jobId) {
        return store.list("jobs/" + jobId + "/claims/").stream().map(o -> o.key()).toList();
    }

    JsonNode json(String key) {
        try {
            return MAPPER.readTree(store.getBytes(key));
        } catch (IOException e) {
            throw new UncheckedIOException(key + " is not JSON", e);
        }
    }

    static Instant instant(JsonNode n, String field) {
        assertThat(n.hasNonNull(field)).as("%s in %s", field, n).isTrue();
        return Instant.parse(n.get(field).asText());
    }

    /** The worker JVMs a trainer started (its descendants running {@code TrainingWorker}). */
    static List<ProcessHandle> workers(ServiceProcess trainer) {
        return trainer.handle().descendants().filter(ProcessHandle::isAlive)
                .filter(h -> h.info().commandLine().orElse("").contains("io.nnft.trainer.worker.TrainingWorker"))
                .toList();
    }

    static String log(ServiceProcess p) {
        try {
            return Files.readString(p.log());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p.log(), e);
        }
    }

    /** Waits until {@code condition} holds; fails with {@code what} after {@code timeout}. */
    static void until(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            Thread.sleep(100);
        }
    }

    /** The job's files in the bucket, downloaded. */
    Path download(String prefix, String name) {
        Path target = dir.resolve("downloads").resolve(name);
        store.downloadPrefix(prefix, target);
        return target;
    }

    @Override
    public void close() {
        stopTrainers();
        s3.close();
        kafka.close();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
