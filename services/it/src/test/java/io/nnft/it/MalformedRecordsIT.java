package io.nnft.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nnft.embedded.LocalPlatform;
import io.nnft.events.DeadLetter;
import io.nnft.events.Decoded;
import io.nnft.events.EventCodec;
import io.nnft.events.EventType;
import io.nnft.events.InvalidEventException;
import io.nnft.events.JobFailed;
import io.nnft.events.JobId;
import io.nnft.events.Problem;
import io.nnft.services.testing.TopicClient;
import io.nnft.storage.ObjectStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, "a consumer never stops": the five services in their own JVMs (as {@link PipelineIT} starts them) get a
 * corpus of malformed and hostile records, published with a plain Kafka producer on every topic a service consumes.
 * Each record ends in the one way written next to it (schemas/README.md, "Validation at every edge"):
 * <ul>
 *   <li>{@link Outcome#DEAD_LETTER}: one dead letter, from the service owning the topic, whose reason names the
 *       problem; no {@code JobFailed} (no job could be read, or the record's key and job disagree, or the topic is
 *       the gateway's alone);</li>
 *   <li>{@link Outcome#REFUSED}: the record names its job and breaks its contract: one dead letter and the job's
 *       one {@code JobFailed}, both naming the problem;</li>
 *   <li>{@link Outcome#FAILED}: a valid event whose work fails: the job's one {@code JobFailed} naming the
 *       problem, no dead letter;</li>
 *   <li>{@link Outcome#PROCESSED}: accepted and handled harmlessly: neither.</li>
 * </ul>
 * Afterwards a valid fine-tune still runs from request to exported encoder, every service is live and none was
 * restarted. The corpus with what each record ended as is written to {@code target/malformed-records.md}.
 */
class MalformedRecordsIT {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SOURCE = "/nnft/it-malformed";
    private static final EventCodec CODEC = new EventCodec(SOURCE);
    private static final Duration WAIT = Duration.ofMinutes(6);
    private static final String API_KEY = "it-" + Long.toHexString(System.nanoTime());
    private static final String B = "s3://nnft/";
    /** Which service consumes (and dead-letters for) each topic. */
    private static final Map<String, String> OWNERS = Map.of(
            EventType.FINE_TUNE_REQUESTED.topic(), "planner",
            EventType.PLANS_READY.topic(), "preprocessor",
            EventType.PREPROCESSING_COMPLETED.topic(), "trainer",
            EventType.TRAINING_COMPLETED.topic(), "exporter",
            EventType.JOB_CANCEL_REQUESTED.topic(), "trainer",
            EventType.TRAINING_STARTED.topic(), "gateway",
            EventType.TRAINING_PROGRESS.topic(), "gateway",
            EventType.ENCODER_EXPORTED.topic(), "gateway",
            EventType.JOB_FAILED.topic(), "gateway");

    /** The platform's data, the services' logs under logs/: kept for a failed run. */
    static Path data = Path.of("target", "malformed-it").toAbsolutePath();

    static Path root;
    static LocalPlatform platform;

    /** How a record ends: see the class comment. */
    enum Outcome { DEAD_LETTER, REFUSED, FAILED, PROCESSED }

    /**
     * One row of the corpus. {@code job}: the job the record names (null when none can be read);
     * {@code mentions}: what the reason (dead letter's header, JobFailed's reason and problems) must contain.
     */
    record Case(String kind, String topic, String key, byte[] value, List<Header> headers, Outcome outcome,
                String job, List<String> mentions) {
        /** Whether a record is a dead letter of this case: keyed by its key or job, from its topic. */
        boolean isDeadLetterOf(ConsumerRecord<String, byte[]> r) {
            return (key.equals(r.key()) || job != null && job.equals(r.key()))
                    && topic.equals(header(r, DeadLetter.SOURCE_TOPIC_HEADER));
        }

        String owner() {
            return "/nnft/nnft-" + OWNERS.get(topic);
        }
    }

    /** What a case expects; built with {@link #deadLetter}, {@link #refused}, {@link #failed}, {@link #processed}. */
    record Expect(Outcome outcome, String job, List<String> mentions) {}

    static Expect deadLetter(String... mentions) {
        return new Expect(Outcome.DEAD_LETTER, null, List.of(mentions));
    }

    /** A dead letter keyed by {@code job} (a gateway-only topic: no JobFailed from an observer). */
    static Expect deadLetterOf(String job, String... mentions) {
        return new Expect(Outcome.DEAD_LETTER, job, List.of(mentions));
    }

    static Expect refused(String job, String... mentions) {
        return new Expect(Outcome.REFUSED, job, List.of(mentions));
    }

    static Expect failed(String job, String... mentions) {
        return new Expect(Outcome.FAILED, job, List.of(mentions));
    }

    static Expect processed(String job) {
        return new Expect(Outcome.PROCESSED, job, List.of());
    }

    @BeforeAll
    static void start() throws IOException {
        root = Path.of(System.getProperty("nnft.repo.root", "../..")).toAbsolutePath().normalize();
        deleteRecursively(data);
        platform = LocalPlatform.start(root, data, false, "nnft", LocalPlatform.ALL_SERVICES,
                Map.of("nnft.gateway.api-keys", API_KEY, "nnft.trainer.worker-heap", "1g"));
        ObjectStore store = platform.store();
        store.uploadDirectory(root.resolve("demo/Dataset102_SynthB"), "datasets/Dataset102_SynthB");
        store.uploadDirectory(root.resolve("demo/pretrained/Dataset101_SynthA"), "models/Dataset101_SynthA");
        // a "pretrained model" whose checkpoint is a pickle calling os.system
        Path pretrained = root.resolve("demo/pretrained/Dataset101_SynthA");
        store.putFile("models/Hostile/plans.json", pretrained.resolve("plans.json"));
        store.putFile("models/Hostile/dataset.json", pretrained.resolve("dataset.json"));
        store.put("models/Hostile/fold_all/checkpoint_final.pth", hostilePth(), "application/octet-stream");
        // a dataset whose first image is not NIfTI at all
        store.uploadDirectory(root.resolve("demo/Dataset102_SynthB"), "datasets/Dataset902_CorruptNifti");
        byte[] garbage = new byte[2048];
        new Random(902).nextBytes(garbage);
        store.put("datasets/Dataset902_CorruptNifti/imagesTr/synth_000_0000.nii.gz", garbage, "application/gzip");
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var walk = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        }
    }

    /** A torch.save zip whose data.pkl is {@code os.system("touch /tmp/nnft-pwned")} (pickle protocol 0). */
    private static byte[] hostilePth() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("archive/data.pkl"));
            zip.write("cos\nsystem\n(S'touch /tmp/nnft-pwned'\ntR.".getBytes(StandardCharsets.US_ASCII));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("archive/version"));
            zip.write("3\n".getBytes(StandardCharsets.US_ASCII));
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    // ---- the corpus ----------------------------------------------------------------------------------------------

    private final List<Case> corpus = new ArrayList<>();

    private void add(String kind, EventType topic, String key, byte[] value, Expect expect, Header... headers) {
        corpus.add(new Case(kind, topic.topic(), key, value, List.of(headers), expect.outcome(), expect.job(),
                expect.mentions()));
    }

    private List<Case> corpus() {
        EventType ftr = EventType.FINE_TUNE_REQUESTED;
        byte[] random = new byte[4096];
        new Random(15).nextBytes(random);
        String valid = text(envelope(ftr, "mal-05", request("mal-05")));
        String assignedId = UUID.randomUUID().toString();
        String assigned = JobId.forEvent(SOURCE, assignedId);
        ObjectNode unassigned = envelope(ftr, null, request(null).put("dataset", B + "datasets/Dataset904_Missing/"));
        unassigned.put("id", assignedId);

        // -- nnft.fine-tune-requested: the planner --
        add("empty value (0 bytes)", ftr, "m-01", new byte[0], deadLetter("0 bytes"));
        add("tombstone (null value)", ftr, "m-02", null, deadLetter("null"));
        add("not JSON", ftr, "m-03", utf8("hello, planner"), deadLetter("not JSON", "hello, planner"));
        add("JSON array", ftr, "m-04", utf8("[1, 2, 3]"), deadLetter("not a CloudEvent", "array"));
        add("truncated JSON", ftr, "m-05", utf8(valid.substring(0, valid.length() / 2)), deadLetter("not JSON"));
        add("deeply nested JSON (10k levels)", ftr, "m-06",
                utf8("{\"specversion\":\"1.0\",\"data\":{\"jobId\":\"mal-06\",\"x\":" + "[".repeat(10_000)
                        + "]".repeat(10_000) + "}}"), deadLetter("not JSON", "nesting depth"));
        add("binary garbage (4 KiB)", ftr, "m-07", random, deadLetter("not JSON"));
        add("invalid UTF-8 in a string", ftr, "m-08", invalidUtf8(text(envelope(ftr, "mal-08", request("mal-08")))),
                deadLetter("not JSON", "UTF-8"));
        add("duplicate JSON member (two \"type\")", ftr, "m-09", utf8(valid.replaceFirst("\\{",
                "{\"type\":\"nnft.JobCancelRequested.v1\",")), deadLetter("not JSON", "Duplicate field 'type'"));
        add("wrong specversion (0.3)", ftr, "mal-10", bytes(envelope(ftr, "mal-10", request("mal-10"))
                .put("specversion", "0.3")), refused("mal-10", "/specversion"));
        add("missing type", ftr, "mal-11", bytes(without(envelope(ftr, "mal-11", request("mal-11")), "type")),
                refused("mal-11", "type"));
        add("unknown type", ftr, "mal-12", bytes(envelope(ftr, "mal-12", request("mal-12"))
                .put("type", "nnft.Bogus.v1")), refused("mal-12", "/type", "nnft.Bogus.v1"));
        add("type of another topic (PlansReady)", ftr, "mal-13", bytes(envelope(EventType.PLANS_READY, "mal-13",
                example("PlansReady", "mal-13"))), refused("mal-13", "/type", "nnft.PlansReady.v1"));
        add("missing id", ftr, "mal-14", bytes(without(envelope(ftr, "mal-14", request("mal-14")), "id")),
                refused("mal-14", "id"));
        add("missing source", ftr, "mal-15", bytes(without(envelope(ftr, "mal-15", request("mal-15")), "source")),
                refused("mal-15", "source"));
        add("data not an object (a string)", ftr, "mal-16", bytes(envelope(ftr, "mal-16", null).put("data", "mal-16")),
                refused("mal-16", "/data"));
        add("data null", ftr, "mal-17", bytes(envelope(ftr, "mal-17", null).putNull("data")),
                refused("mal-17", "/data"));
        add("no data.jobId (assigned; dataset missing)", ftr, "m-18", bytes(unassigned),
                failed(assigned, "datasets/Dataset904_Missing/"));
        add("Kafka key != data.jobId", ftr, "mal-19-other", bytes(envelope(ftr, "mal-19", request("mal-19"))),
                deadLetter("'mal-19-other'", "'mal-19'", "name different jobs"));
        add("Kafka key of 600 KB != data.jobId", ftr, "k".repeat(600_000),
                bytes(envelope(ftr, "mal-20", request("mal-20"))), deadLetter("name different jobs", "'mal-20'"));
        add("jobId with invalid characters", ftr, "m-21", bytes(envelope(ftr, null, request("Mal_21!"))),
                deadLetter("/data/jobId", "Mal_21!"));
        add("jobId of 64 characters", ftr, "m-22", bytes(envelope(ftr, null, request("m".repeat(64)))),
                deadLetter("/data/jobId"));
        add("budget.epochs 1e12", ftr, "mal-23", bytes(envelope(ftr, "mal-23", request("mal-23")
                .set("budget", json("{\"epochs\": 1e12}")))), refused("mal-23", "/data/budget/epochs", "10000"));
        add("budget.iterationsPerEpoch 1e9", ftr, "mal-24", bytes(envelope(ftr, "mal-24", request("mal-24")
                .set("budget", json("{\"iterationsPerEpoch\": 1000000000}")))),
                refused("mal-24", "/data/budget/iterationsPerEpoch", "100000"));
        add("negative epochs", ftr, "mal-25", bytes(envelope(ftr, "mal-25", request("mal-25")
                .set("budget", json("{\"epochs\": -3}")))), refused("mal-25", "/data/budget/epochs", "-3"));
        add("learning rate 0", ftr, "mal-26", bytes(envelope(ftr, "mal-26", request("mal-26")
                .set("optimizer", json("{\"initialLr\": 0}")))), refused("mal-26", "/data/optimizer/initialLr"));
        add("learning rate \"NaN\" (a string)", ftr, "mal-27", bytes(envelope(ftr, "mal-27", request("mal-27")
                .set("optimizer", json("{\"initialLr\": \"NaN\"}")))), refused("mal-27", "/data/optimizer/initialLr"));
        add("seed 1e400 (beyond a double)", ftr, "mal-28", utf8(text(envelope(ftr, "mal-28", request("mal-28")))
                .replace("\"seed\":7", "\"seed\":1e400")), refused("mal-28", "/data/seed"));
        add("fold 7", ftr, "mal-29", bytes(envelope(ftr, "mal-29", request("mal-29").put("fold", 7))),
                refused("mal-29", "/data/fold"));
        add("fold \"x\"", ftr, "mal-30", bytes(envelope(ftr, "mal-30", request("mal-30").put("fold", "x"))),
                refused("mal-30", "/data/fold"));
        add("dataset in another bucket (s3://other-bucket/...)", ftr, "mal-31", bytes(envelope(ftr, "mal-31",
                request("mal-31").put("dataset", "s3://other-bucket/datasets/Dataset102_SynthB/"))),
                failed("mal-31", "s3://other-bucket/datasets/Dataset102_SynthB/", "'other-bucket'", "'nnft'"));
        add("dataset with ../ traversal", ftr, "mal-32", bytes(envelope(ftr, "mal-32",
                request("mal-32").put("dataset", "datasets/../../etc/"))), refused("mal-32", "/data/dataset"));
        add("dataset an absolute path", ftr, "mal-33", bytes(envelope(ftr, "mal-33",
                request("mal-33").put("dataset", "/etc/passwd"))), refused("mal-33", "/data/dataset"));
        add("dataset a file:// URI", ftr, "mal-34", bytes(envelope(ftr, "mal-34",
                request("mal-34").put("dataset", "file:///etc/passwd"))), refused("mal-34", "/data/dataset"));
        add("dataset of 600 KB (huge string)", ftr, "mal-35", bytes(envelope(ftr, "mal-35",
                request("mal-35").put("dataset", "datasets/" + "x".repeat(600_000)))),
                refused("mal-35", "/data/dataset", "..."));
        add("dataset that does not exist", ftr, "mal-36", bytes(envelope(ftr, "mal-36",
                request("mal-36").put("dataset", B + "datasets/Dataset903_Missing/"))),
                failed("mal-36", "datasets/Dataset903_Missing/"));
        add("pretrained checkpoint that does not exist", ftr, "mal-37", bytes(envelope(ftr, "mal-37",
                request("mal-37").put("pretrained", B + "models/Dataset101_SynthA/fold_all/checkpoint_missing.pth"))),
                failed("mal-37", "checkpoint_missing.pth"));
        add("pretrained checkpoint: a pickle calling os.system", ftr, "mal-38", bytes(envelope(ftr, "mal-38",
                request("mal-38").put("pretrained", B + "models/Hostile/fold_all/checkpoint_final.pth"))),
                failed("mal-38", "os.system"));
        add("dataset with a corrupt NIfTI image", ftr, "mal-39", bytes(envelope(ftr, "mal-39",
                request("mal-39").put("dataset", B + "datasets/Dataset902_CorruptNifti/"))),
                failed("mal-39", "synth_000_0000.nii.gz"));
        add("datacontenttype text/plain", ftr, "mal-40", bytes(envelope(ftr, "mal-40", request("mal-40"))
                .put("datacontenttype", "text/plain")), refused("mal-40", "/datacontenttype", "text/plain"));
        add("time not RFC 3339", ftr, "mal-41", bytes(envelope(ftr, "mal-41", request("mal-41"))
                .put("time", "yesterday")), refused("mal-41", "/time"));
        add("unknown extension attributes (accepted; dataset missing)", ftr, "mal-42", bytes(envelope(ftr, "mal-42",
                request("mal-42").put("dataset", B + "datasets/Dataset905_Missing/")).put("traceparent",
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01").put("nnftunknown", 42)),
                failed("mal-42", "datasets/Dataset905_Missing/"));

        // -- nnft.plans-ready: the preprocessor --
        EventType plans = EventType.PLANS_READY;
        add("PlansReady: not JSON", plans, "m-43", utf8("<plans/>"), deadLetter("not JSON"));
        add("PlansReady: plans that do not exist", plans, "mal-44", bytes(envelope(plans, "mal-44",
                example("PlansReady", "mal-44"))), failed("mal-44", "jobs/mal-44/plans/plans.json"));
        add("PlansReady: no datasetName", plans, "mal-45", bytes(envelope(plans, "mal-45",
                without(example("PlansReady", "mal-45"), "datasetName"))), refused("mal-45", "datasetName"));
        ObjectNode hugeBudget = example("PlansReady", "mal-46");
        ((ObjectNode) hugeBudget.get("request").get("budget")).put("epochs", 1_000_000_000_000L);
        add("PlansReady: request.budget.epochs 1e12", plans, "mal-46", bytes(envelope(plans, "mal-46", hugeBudget)),
                refused("mal-46", "/data/request/budget/epochs"));

        // -- nnft.preprocessing-completed: the trainer --
        EventType preprocessed = EventType.PREPROCESSING_COMPLETED;
        add("PreprocessingCompleted: binary garbage", preprocessed, "m-47", Arrays.copyOf(random, 512),
                deadLetter("not JSON"));
        add("PreprocessingCompleted: preprocessed data that does not exist", preprocessed, "mal-48",
                bytes(envelope(preprocessed, "mal-48", example("PreprocessingCompleted", "mal-48"))),
                failed("mal-48", "jobs/mal-48/plans/dataset.json", "NoSuchKey"));
        add("PreprocessingCompleted: numCases \"many\"", preprocessed, "mal-49", bytes(envelope(preprocessed,
                "mal-49", example("PreprocessingCompleted", "mal-49").put("numCases", "many"))),
                refused("mal-49", "/data/numCases"));

        // -- nnft.training-completed: the exporter --
        EventType trained = EventType.TRAINING_COMPLETED;
        add("TrainingCompleted: tombstone", trained, "m-50", null, deadLetter("null"));
        add("TrainingCompleted: checkpoint that does not exist", trained, "mal-51", bytes(envelope(trained, "mal-51",
                example("TrainingCompleted", "mal-51"))), failed("mal-51", "jobs/mal-51/checkpoints/fold_0/"));
        ObjectNode noFinal = example("TrainingCompleted", "mal-52");
        ((ObjectNode) noFinal.get("checkpoints")).remove("final");
        add("TrainingCompleted: no checkpoints.final", trained, "mal-52", bytes(envelope(trained, "mal-52", noFinal)),
                refused("mal-52", "/data/checkpoints", "final"));

        // -- nnft.job-cancel-requested: the trainer --
        EventType cancel = EventType.JOB_CANCEL_REQUESTED;
        add("cancel for an unknown job", cancel, "mal-53", bytes(envelope(cancel, "mal-53",
                json("{\"jobId\": \"mal-53\", \"reason\": \"never submitted\"}"))), processed("mal-53"));
        add("cancel with unknown extension attributes", cancel, "mal-54", bytes(envelope(cancel, "mal-54",
                json("{\"jobId\": \"mal-54\"}")).put("nnftunknown", "x").put("partitionkey", "mal-54")),
                processed("mal-54"));
        add("cancel without datacontenttype", cancel, "mal-55", bytes(without(envelope(cancel, "mal-55",
                json("{\"jobId\": \"mal-55\"}")), "datacontenttype")), processed("mal-55"));
        add("cancel with datacontenttype application/json; charset=utf-8", cancel, "mal-56",
                bytes(envelope(cancel, "mal-56", json("{\"jobId\": \"mal-56\"}"))
                        .put("datacontenttype", "application/json; charset=utf-8")), processed("mal-56"));
        add("cancel with duplicate Kafka headers", cancel, "mal-57", bytes(envelope(cancel, "mal-57",
                json("{\"jobId\": \"mal-57\"}"))), processed("mal-57"),
                header("content-type", "text/plain"), header("content-type", "application/xml"),
                header("ce_type", "nnft.Bogus.v1"), header("ce_type", "nnft.FineTuneRequested.v1"));
        add("cancel with a 600 KB reason", cancel, "mal-58", bytes(envelope(cancel, "mal-58",
                json("{\"jobId\": \"mal-58\"}").put("reason", "r".repeat(600_000)))), processed("mal-58"));
        add("cancel with purge \"yes\"", cancel, "mal-59", bytes(envelope(cancel, "mal-59",
                json("{\"jobId\": \"mal-59\", \"purge\": \"yes\"}"))), refused("mal-59", "/data/purge"));
        add("cancel: not JSON", cancel, "m-60", utf8("cancel everything"), deadLetter("not JSON"));

        // -- the gateway's own topics: dead letters only (an observer publishes no JobFailed) --
        add("TrainingStarted: not JSON", EventType.TRAINING_STARTED, "m-61", utf8("started?"),
                deadLetter("not JSON"));
        add("TrainingProgress: epoch \"x\"", EventType.TRAINING_PROGRESS, "mal-62", bytes(envelope(
                EventType.TRAINING_PROGRESS, "mal-62", example("TrainingProgress", "mal-62").put("epoch", "x"))),
                deadLetterOf("mal-62", "/data/epoch"));
        add("TrainingProgress for an unknown job", EventType.TRAINING_PROGRESS, "mal-63", bytes(envelope(
                EventType.TRAINING_PROGRESS, "mal-63", example("TrainingProgress", "mal-63"))), processed("mal-63"));
        add("EncoderExported: no artifacts", EventType.ENCODER_EXPORTED, "mal-64", bytes(envelope(
                EventType.ENCODER_EXPORTED, "mal-64", without(example("EncoderExported", "mal-64"), "artifacts"))),
                deadLetterOf("mal-64", "artifacts"));
        add("JobFailed: stage \"lunch\"", EventType.JOB_FAILED, "mal-65", bytes(envelope(EventType.JOB_FAILED,
                "mal-65", example("JobFailed", "mal-65").put("stage", "lunch"))), deadLetterOf("mal-65", "/data/stage"));
        add("JobFailed: empty value", EventType.JOB_FAILED, "m-66", new byte[0], deadLetter("0 bytes"));
        return corpus;
    }

    // ---- the test ------------------------------------------------------------------------------------------------

    @Test
    void everyMalformedRecordEndsOneWayAndTheNextJobStillRuns() throws Exception {
        long started = System.nanoTime();
        List<Case> cases = corpus();
        assertThat(cases.stream().map(Case::kind).distinct()).hasSize(cases.size()).hasSizeGreaterThanOrEqualTo(35);
        try (TopicClient topics = new TopicClient(platform.bootstrapServers())) {
            for (Case c : cases) {
                topics.publish(new ProducerRecord<>(c.topic(), null, c.key(), c.value(), c.headers()));
            }
            // After all of them, a valid fine-tune (PipelineIT's) runs from request to exported encoder.
            String jobId = submit("""
                    {"jobId": "it-after-malformed", "dataset": "s3://nnft/datasets/Dataset102_SynthB/",
                     "pretrained": "s3://nnft/models/Dataset101_SynthA/", "configuration": "3d_fullres", "fold": 0,
                     "seed": 7, "budget": {"epochs": 2, "iterationsPerEpoch": 3, "validationIterations": 1},
                     "freeze": {"policy": "encoder"}, "export": {"checkpoint": "final"}}""");
            awaitUnlessFailed(topics, jobId);

            // Every record has ended (its dead letter and JobFailed, as expected, are there), then a moment for strays.
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (System.nanoTime() < deadline) {
                List<ConsumerRecord<String, byte[]>> deadLetters = topics.readAll(EventType.DEAD_LETTER_TOPIC, r -> true);
                List<ConsumerRecord<String, byte[]>> failures = serviceJobFailed(topics);
                if (cases.stream().allMatch(c -> ended(c, deadLetters, failures))) {
                    break;
                }
                Thread.sleep(2000);
            }
            Thread.sleep(5000);
            List<ConsumerRecord<String, byte[]>> deadLetters = topics.readAll(EventType.DEAD_LETTER_TOPIC, r -> true);
            List<ConsumerRecord<String, byte[]>> failures = serviceJobFailed(topics);

            SoftAssertions softly = new SoftAssertions();
            List<String> table = new ArrayList<>();
            table.add("| kind | topic | outcome | reason excerpt |");
            table.add("|---|---|---|---|");
            for (Case c : cases) {
                List<ConsumerRecord<String, byte[]>> dead = deadLetters.stream()
                        .filter(c::isDeadLetterOf).toList();
                List<JobFailed> failed = c.job() == null ? List.of() : failures.stream()
                        .filter(r -> c.job().equals(r.key()))
                        .map(r -> (JobFailed) CODEC.decode(r.value()).event()).toList();
                boolean deadLettered = c.outcome() == Outcome.DEAD_LETTER || c.outcome() == Outcome.REFUSED;
                boolean jobFailed = c.outcome() == Outcome.REFUSED || c.outcome() == Outcome.FAILED;
                String what = c.kind() + " on " + c.topic();
                softly.assertThat(dead).as("%s: dead letters", what).hasSize(deadLettered ? 1 : 0);
                softly.assertThat(failed).as("%s: JobFailed for %s", what, c.job()).hasSize(jobFailed ? 1 : 0);
                String reason = "";
                if (deadLettered && dead.size() == 1) {
                    reason = header(dead.get(0), DeadLetter.REASON_HEADER);
                    softly.assertThat(header(dead.get(0), DeadLetter.CONSUMER_HEADER)).as("%s: dead-lettered by", what)
                            .isEqualTo(c.owner());
                    softly.assertThat(dead.get(0).value()).as("%s: the record unchanged", what)
                            .isEqualTo(c.value() == null ? new byte[0] : c.value());
                    softly.assertThat(reason).as("%s: dead letter's reason", what).contains(c.mentions());
                }
                if (jobFailed && failed.size() == 1) {
                    String told = told(failed.get(0));
                    softly.assertThat(told).as("%s: JobFailed's reason", what).contains(c.mentions());
                    reason = reason.isEmpty() ? failed.get(0).reason() : reason;
                }
                table.add("| " + c.kind() + " | " + c.topic() + " | " + describe(c) + " | "
                        + excerpt(c.outcome() == Outcome.PROCESSED ? "(processed: no dead letter, no JobFailed)" : reason)
                        + " |");
            }
            // Nothing else was dead-lettered or failed: not the valid job, not a job no record names.
            softly.assertThat(deadLetters).as("dead letters no case accounts for")
                    .filteredOn(r -> cases.stream().noneMatch(c -> c.isDeadLetterOf(r))).isEmpty();
            List<String> jobs = cases.stream().filter(c -> c.outcome() == Outcome.REFUSED || c.outcome() == Outcome.FAILED)
                    .map(Case::job).toList();
            softly.assertThat(failures.stream().map(ConsumerRecord::key).filter(k -> !jobs.contains(k)))
                    .as("JobFailed for jobs no case expects to fail").isEmpty();

            // Every service is still live, in its first JVM: no consumer stopped.
            for (String service : LocalPlatform.ALL_SERVICES) {
                softly.assertThat(live(platform.service(service).baseUrl())).as("%s /q/health/live", service)
                        .isEqualTo(200);
                softly.assertThat(platform.service(service).isAlive()).as("%s running", service).isTrue();
            }
            String markdown = String.join("\n", table) + "\n";
            Path report = Path.of("target", "malformed-records.md");
            Files.createDirectories(report.getParent());
            Files.writeString(report, markdown);
            System.out.println("MalformedRecordsIT: " + cases.size() + " records in "
                    + Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s\n" + markdown);
            softly.assertAll();
        }
    }

    /** Whether the evidence the case expects is there (not yet: whether nothing else is). */
    private static boolean ended(Case c, List<ConsumerRecord<String, byte[]>> deadLetters,
                                 List<ConsumerRecord<String, byte[]>> failures) {
        boolean dead = c.outcome() != Outcome.DEAD_LETTER && c.outcome() != Outcome.REFUSED
                || deadLetters.stream().anyMatch(c::isDeadLetterOf);
        boolean failed = c.outcome() != Outcome.FAILED && c.outcome() != Outcome.REFUSED
                || failures.stream().anyMatch(r -> c.job().equals(r.key()));
        return dead && failed;
    }

    /** Valid JobFailed events published by the services (not the ones this test published on their topic). */
    private static List<ConsumerRecord<String, byte[]>> serviceJobFailed(TopicClient topics) {
        return topics.readAll(EventType.JOB_FAILED.topic(), r -> {
            try {
                Decoded d = CODEC.decode(r.value());
                return !SOURCE.equals(d.source()) && d.event() instanceof JobFailed;
            } catch (InvalidEventException e) {
                return false;
            }
        });
    }

    private static String told(JobFailed f) {
        return f.reason() + (f.problems() == null ? "" : " " + f.problems().stream().map(Problem::toString)
                .collect(Collectors.joining("; ")));
    }

    private static String describe(Case c) {
        String owner = OWNERS.get(c.topic());
        return switch (c.outcome()) {
            case DEAD_LETTER -> "dead letter (" + owner + ")";
            case REFUSED -> "dead letter + JobFailed (" + owner + ")";
            case FAILED -> "JobFailed" + (c.job().startsWith("job-") ? " (assigned " + c.job() + ")" : "");
            case PROCESSED -> "processed";
        };
    }

    private static String excerpt(String reason) {
        String s = reason.replace("|", "\\|").replace("\n", " ");
        return s.length() > 160 ? s.substring(0, 160) + "…" : s;
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }

    // ---- building records ----------------------------------------------------------------------------------------

    /** A CloudEvent as nnft's producers write it, with this test as its source. */
    private static ObjectNode envelope(EventType type, String subject, JsonNode data) {
        ObjectNode ce = MAPPER.createObjectNode();
        ce.put("specversion", "1.0");
        ce.put("id", UUID.randomUUID().toString());
        ce.put("source", SOURCE);
        ce.put("type", type.cloudEventType());
        if (subject != null) {
            ce.put("subject", subject);
        }
        ce.put("time", Instant.now().toString());
        ce.put("datacontenttype", "application/json");
        ce.set("data", data);
        return ce;
    }

    /** A small valid request (no job id when {@code jobId} is null). */
    private static ObjectNode request(String jobId) {
        ObjectNode r = MAPPER.createObjectNode();
        if (jobId != null) {
            r.put("jobId", jobId);
        }
        r.put("dataset", B + "datasets/Dataset102_SynthB/");
        r.put("configuration", "3d_fullres");
        r.put("fold", 0);
        r.put("seed", 7);
        r.set("budget", json("{\"epochs\": 1, \"iterationsPerEpoch\": 2, \"validationIterations\": 1}"));
        return r;
    }

    /** schemas/examples/{@code event}.json for another job. */
    private static ObjectNode example(String event, String jobId) {
        try {
            String text = Files.readString(root.resolve("schemas/examples/" + event + ".json"));
            return (ObjectNode) MAPPER.readTree(text.replace("heart-ft-001", jobId));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode without(ObjectNode node, String field) {
        node.remove(field);
        return node;
    }

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(JsonNode node) {
        return node.toString();
    }

    private static byte[] bytes(JsonNode node) {
        return utf8(node.toString());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The event's bytes with {@code C3 28} (a lead byte without its continuation) inside its dataset string. */
    private static byte[] invalidUtf8(String event) {
        byte[] b = utf8(event.replace("Dataset102_SynthB", "Dataset\u00ff_SynthB"));
        for (int i = 0; i + 1 < b.length; i++) {
            if (b[i] == (byte) 0xC3 && b[i + 1] == (byte) 0xBF) {
                b[i + 1] = 0x28;
            }
        }
        return b;
    }

    // ---- the platform --------------------------------------------------------------------------------------------

    private static String submit(String body) throws Exception {
        return GatewayRequests.submit(platform, API_KEY, body);
    }

    /** The job's EncoderExported; a JobFailed for it ends the wait at once, with its reason. */
    private static void awaitUnlessFailed(TopicClient topics, String jobId) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (topics.readAll(EventType.ENCODER_EXPORTED.topic(), r -> jobId.equals(r.key())).isEmpty()) {
            List<ConsumerRecord<String, byte[]>> failed = serviceJobFailed(topics).stream()
                    .filter(r -> jobId.equals(r.key())).toList();
            assertThat(failed).as("job %s failed: %s", jobId, failed.stream()
                    .map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList()).isEmpty();
            assertThat(System.nanoTime()).as("EncoderExported for %s within %s", jobId, WAIT).isLessThan(deadline);
            Thread.sleep(2000);
        }
    }

    private static int live(String baseUrl) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl + "/q/health/live"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
