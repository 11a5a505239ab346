package io.nnft.planner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nnft.events.DeadLetter;
import io.nnft.events.EventCodec;
import io.nnft.events.EventType;
import io.nnft.events.FineTuneRequested;
import io.nnft.events.JobFailed;
import io.nnft.events.PlansReady;
import io.nnft.events.Problem;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The planner on in-memory channels and a real S3 server: good requests become plans in the bucket and a
 * PlansReady; bad ones end as dead letters and JobFailed with the reason, and the consumer goes on.
 */
@QuarkusTest
@WithTestResource(value = InMemoryChannelsAndS3.class,
        initArgs = @ResourceArg(name = InMemoryChannelsAndS3.INCOMING, value = "fine-tune-requested"))
class PlannerTests {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final EventCodec CODEC = new EventCodec("/nnft/test");
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    static Path tmp;

    @Inject
    @Any
    InMemoryConnector connector;

    @BeforeAll
    static void uploadDatasets() throws IOException {
        ObjectStore store = RealS3.store();
        // nnU-Net's own fingerprint and plans of these three cases are the reference.
        Path ct = Path.of("src/test/resources/Dataset001_CT");
        store.uploadDirectory(ct, "datasets/Dataset001_CT");
        // The same dataset without ct_002's label and with a stray channel: it must fail verification.
        Path broken = tmp.resolve("Dataset003_Broken");
        Files.createDirectories(broken.resolve("imagesTr"));
        Files.createDirectories(broken.resolve("labelsTr"));
        for (String c : List.of("ct_000", "ct_001", "ct_002")) {
            Files.copy(ct.resolve("imagesTr/" + c + "_0000.nii.gz"), broken.resolve("imagesTr/" + c + "_0000.nii.gz"));
            if (!c.equals("ct_002")) {
                Files.copy(ct.resolve("labelsTr/" + c + ".nii.gz"), broken.resolve("labelsTr/" + c + ".nii.gz"));
            }
        }
        Files.copy(ct.resolve("imagesTr/ct_000_0000.nii.gz"), broken.resolve("imagesTr/ct_001_0001.nii.gz"));
        Files.copy(ct.resolve("dataset.json"), broken.resolve("dataset.json"));
        store.uploadDirectory(broken, "datasets/Dataset003_Broken");

        // A classification dataset: the CT images without labelsTr, class labels per case, and a pretrained
        // model whose plans are nnU-Net's plans of these images (given as one of its checkpoints).
        Path cls = tmp.resolve("Dataset004_CTClasses");
        Files.createDirectories(cls.resolve("imagesTr"));
        for (String c : List.of("ct_000", "ct_001", "ct_002")) {
            Files.copy(ct.resolve("imagesTr/" + c + "_0000.nii.gz"), cls.resolve("imagesTr/" + c + "_0000.nii.gz"));
        }
        Files.copy(ct.resolve("dataset.json"), cls.resolve("dataset.json"));
        Files.writeString(cls.resolve("classification.csv"), "case,label\nct_000,benign\nct_001,malignant\nct_002,benign\n");
        Files.writeString(cls.resolve("one_class.csv"), "case,label\nct_000,benign\nct_001,benign\nct_002,benign\n");
        Files.writeString(cls.resolve("bad.csv"), "case,label\nct_000,benign\nct_009,malignant\nct_002\n");
        store.uploadDirectory(cls, "datasets/Dataset004_CTClasses");
        store.putFile("models/CTPretrained/plans.json", Path.of("src/test/resources/ct_nnUNetPlans.json"));
    }

    private static FineTuneRequested classification(String jobId, String labelsFile, boolean pretrained) throws IOException {
        String json = "{\"jobId\":\"" + jobId + "\",\"task\":\"classification\","
                + "\"dataset\":\"datasets/Dataset004_CTClasses/\","
                + (pretrained ? "\"pretrained\":\"models/CTPretrained/fold_0/checkpoint_final.pth\"," : "")
                + "\"classification\":{\"labelsFile\":\"" + labelsFile + "\"}}";
        return io.nnft.events.EventJson.mapper().readValue(json, FineTuneRequested.class);
    }

    @Test
    void aClassificationDatasetWithoutSegmentationsTakesThePretrainedPlans() throws IOException {
        try (Topics topics = new InMemoryTopics(connector)) {
            publish(topics, classification("cls-plan-1", "classification.csv", true));
            PlansReady ready = CODEC.decode(awaitOne(topics, EventType.PLANS_READY, "cls-plan-1").value(), PlansReady.class);
            assertThat(ready.numTrainingCases()).isEqualTo(3);
            assertThat(ready.plansTransferred()).isTrue();
            ObjectStore store = RealS3.store();
            JsonNode plans = MAPPER.readTree(store.getBytes(store.locate(ready.plans()).key()));
            JsonNode pretrained = MAPPER.readTree(Path.of("src/test/resources/ct_nnUNetPlans.json").toFile());
            // spacing, normalization, transpose and intensity statistics are the encoder's, not re-planned
            assertThat(plans.path("configurations")).isEqualTo(pretrained.path("configurations"));
            assertThat(plans.path("transpose_forward")).isEqualTo(pretrained.path("transpose_forward"));
            assertThat(plans.path("foreground_intensity_properties_per_channel"))
                    .isEqualTo(pretrained.path("foreground_intensity_properties_per_channel"));
            assertThat(plans.path("dataset_name").asText()).isEqualTo("Dataset004_CTClasses");
            // the checked labels travel with the plans for the preprocessor to carry on
            assertThat(new String(store.getBytes("jobs/cls-plan-1/plans/classification.csv"), StandardCharsets.UTF_8))
                    .contains("ct_001,malignant");
        }
    }

    @Test
    void badClassLabelsFailTheJobNamingFileAndLineAndTheConsumerGoesOn() throws IOException {
        try (Topics topics = new InMemoryTopics(connector)) {
            publish(topics, classification("cls-bad-csv-1", "bad.csv", true));
            publish(topics, classification("cls-one-class-1", "one_class.csv", false));
            publish(topics, classification("cls-no-csv-1", "missing.csv", false));
            publish(topics, classification("cls-after-bad-1", "classification.csv", false));

            JobFailed bad = CODEC.decode(awaitOne(topics, EventType.JOB_FAILED, "cls-bad-csv-1").value(), JobFailed.class);
            String csv = "s3://" + RealS3.store().bucket() + "/datasets/Dataset004_CTClasses/bad.csv";
            assertThat(bad.reason()).contains(csv + " line 3").contains("ct_009");
            assertThat(bad.problemList()).extracting(p -> p.where())
                    .containsExactly(csv + " line 3", csv + " line 4");
            assertThat(bad.problemList().get(1).found()).contains("1 field(s)");
            assertThat(bad.retriable()).isFalse();

            JobFailed oneClass = CODEC.decode(awaitOne(topics, EventType.JOB_FAILED, "cls-one-class-1").value(),
                    JobFailed.class);
            assertThat(oneClass.reason()).contains("one_class.csv").contains("at least 2 classes");
            JobFailed missing = CODEC.decode(awaitOne(topics, EventType.JOB_FAILED, "cls-no-csv-1").value(),
                    JobFailed.class);
            assertThat(missing.problemList()).anySatisfy(p -> assertThat(p.where()).isEqualTo("/classification/labelsFile"));
            // without a pretrained model a classification dataset is planned from its own fingerprint
            PlansReady after = CODEC.decode(awaitOne(topics, EventType.PLANS_READY, "cls-after-bad-1").value(),
                    PlansReady.class);
            assertThat(after.plansTransferred()).isFalse();
        }
    }

    private static void publish(Topics topics, FineTuneRequested request) {
        topics.publish(EventType.FINE_TUNE_REQUESTED.topic(), request.jobId(), CODEC.encode(request));
    }

    private static ConsumerRecord<String, byte[]> awaitOne(Topics topics, EventType type, String jobId) {
        return topics.await(type.topic(), r -> jobId.equals(r.key()), 1, WAIT).get(0);
    }

    @Test
    void plansADatasetLikeNnUNetAndStoresTheResults() throws IOException {
        try (Topics topics = new InMemoryTopics(connector)) {
            publish(topics, FineTuneRequested.of("s3://" + RealS3.store().bucket() + "/datasets/Dataset001_CT/")
                    .withJobId("plan-ok-1"));
            PlansReady ready = CODEC.decode(awaitOne(topics, EventType.PLANS_READY, "plan-ok-1").value(), PlansReady.class);
            assertThat(ready.datasetName()).isEqualTo("Dataset001_CT");
            assertThat(ready.numTrainingCases()).isEqualTo(3);
            assertThat(ready.plansTransferred()).isFalse();

            ObjectStore store = RealS3.store();
            JsonNode plans = MAPPER.readTree(store.getBytes(store.locate(ready.plans()).key()));
            JsonNode reference = MAPPER.readTree(Path.of("src/test/resources/ct_nnUNetPlans.json").toFile());
            assertThat(plans.path("dataset_name").asText()).isEqualTo("Dataset001_CT");
            // Everything but the name is nnU-Net's plan of the same three cases, key for key.
            assertThat(plans.path("configurations")).isEqualTo(reference.path("configurations"));
            assertThat(plans.path("foreground_intensity_properties_per_channel"))
                    .isEqualTo(reference.path("foreground_intensity_properties_per_channel"));
            assertThat(store.exists("jobs/plan-ok-1/plans/dataset_fingerprint.json")).isTrue();
            assertThat(store.exists("jobs/plan-ok-1/plans/dataset.json")).isTrue();
            assertThat(new String(store.getBytes("jobs/plan-ok-1/request.json"), StandardCharsets.UTF_8))
                    .contains("\"jobId\" : \"plan-ok-1\"");
        }
    }

    @Test
    void malformedEventsAreDeadLetteredAndTheConsumerGoesOn() {
        try (Topics topics = new InMemoryTopics(connector)) {
            String topic = EventType.FINE_TUNE_REQUESTED.topic();
            topics.publish(topic, "garbage-key", "{not json".getBytes(StandardCharsets.UTF_8));
            byte[] badFold = ("{\"specversion\":\"1.0\",\"id\":\"x1\",\"source\":\"/t\",\"type\":\"nnft.FineTuneRequested.v1\","
                    + "\"subject\":\"bad-fold-1\",\"datacontenttype\":\"application/json\",\"data\":{\"jobId\":\"bad-fold-1\","
                    + "\"dataset\":\"datasets/Dataset001_CT/\",\"fold\":9}}").getBytes(StandardCharsets.UTF_8);
            topics.publish(topic, "bad-fold-1", badFold);
            publish(topics, FineTuneRequested.of("datasets/Dataset001_CT/").withJobId("after-bad-1"));

            List<ConsumerRecord<String, byte[]>> dead = topics.await(EventType.DEAD_LETTER_TOPIC,
                    r -> "garbage-key".equals(r.key()) || "bad-fold-1".equals(r.key()), 2, WAIT);
            for (ConsumerRecord<String, byte[]> r : dead) {
                String reason = new String(r.headers().lastHeader(DeadLetter.REASON_HEADER).value(), StandardCharsets.UTF_8);
                if ("bad-fold-1".equals(r.key())) {
                    assertThat(r.value()).isEqualTo(badFold);
                    assertThat(reason).contains("/data/fold");
                } else {
                    assertThat(reason).contains("invalid JSON");
                }
                assertThat(new String(r.headers().lastHeader(DeadLetter.SOURCE_TOPIC_HEADER).value())).isEqualTo(topic);
            }
            JobFailed failed = CODEC.decode(awaitOne(topics, EventType.JOB_FAILED, "bad-fold-1").value(), JobFailed.class);
            assertThat(failed.stage()).isEqualTo(JobFailed.Stage.PLANNING);
            assertThat(failed.problemList()).anySatisfy(p -> assertThat(p.where()).isEqualTo("/data/fold"));
            // The consumer is still alive: the good request after the bad ones is planned.
            awaitOne(topics, EventType.PLANS_READY, "after-bad-1");
        }
    }

    @Test
    void aNumberPastItsBoundFailsTheJobNamingFieldAndBound() {
        try (Topics topics = new InMemoryTopics(connector)) {
            String topic = EventType.FINE_TUNE_REQUESTED.topic();
            // no datacontenttype: CloudEvents 1.0 reads that as application/json, so only the budget is wrong
            byte[] huge = ("{\"specversion\":\"1.0\",\"id\":\"x2\",\"source\":\"/t\",\"type\":\"nnft.FineTuneRequested.v1\","
                    + "\"subject\":\"huge-epochs-1\",\"data\":{\"jobId\":\"huge-epochs-1\","
                    + "\"dataset\":\"datasets/Dataset001_CT/\",\"budget\":{\"epochs\":1e12}}}").getBytes(StandardCharsets.UTF_8);
            topics.publish(topic, "huge-epochs-1", huge);
            ConsumerRecord<String, byte[]> dead = topics.await(EventType.DEAD_LETTER_TOPIC,
                    r -> "huge-epochs-1".equals(r.key()), 1, WAIT).get(0);
            assertThat(new String(dead.headers().lastHeader(DeadLetter.REASON_HEADER).value(), StandardCharsets.UTF_8))
                    .contains("/data/budget/epochs: expected a number <= 10000, found integer 1000000000000");
            JobFailed failed = CODEC.decode(awaitOne(topics, EventType.JOB_FAILED, "huge-epochs-1").value(), JobFailed.class);
            assertThat(failed.problemList()).containsExactly(
                    new Problem("/data/budget/epochs", "a number <= 10000", "integer 1000000000000"));
            assertThat(failed.reason()).contains("/data/budget/epochs").contains("<= 10000");
        }
    }

    @Test
    void aBrokenDatasetFailsTheJobNamingEachProblem() {
        try (Topics topics = new InMemoryTopics(connector)) {
            publish(topics, FineTuneRequested.of("datasets/Dataset003_Broken/").withJobId("broken-ds-1"));
            JobFailed failed = CODEC.decode(awaitOne(topics, EventType.JOB_FAILED, "broken-ds-1").value(), JobFailed.class);
            assertThat(failed.reason()).contains("failed verification");
            // Every problem is listed, not just the first.
            assertThat(failed.problemList()).anySatisfy(p -> assertThat(p.toString()).contains("ct_002"));
            assertThat(failed.problemList()).anySatisfy(p -> assertThat(p.toString()).contains("ct_001_0001"));
            assertThat(failed.retriable()).isFalse();
        }
    }

    @Test
    void aDatasetOutsideOurBucketOrMissingFailsClearly() {
        try (Topics topics = new InMemoryTopics(connector)) {
            publish(topics, FineTuneRequested.of("datasets/Dataset009_Missing/").withJobId("missing-ds-1"));
            JobFailed failed = CODEC.decode(awaitOne(topics, EventType.JOB_FAILED, "missing-ds-1").value(), JobFailed.class);
            assertThat(failed.reason()).contains("no dataset at s3://");
            publish(topics, FineTuneRequested.of("s3://other-bucket/datasets/D/").withJobId("foreign-ds-1"));
            JobFailed foreign = CODEC.decode(awaitOne(topics, EventType.JOB_FAILED, "foreign-ds-1").value(), JobFailed.class);
            assertThat(foreign.reason()).contains("other-bucket");
        }
    }
}
