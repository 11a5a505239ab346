package io.nnft.planner;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.nnft.events.DeadLetter;
import io.nnft.events.EventCodec;
import io.nnft.events.EventType;
import io.nnft.events.FineTuneRequested;
import io.nnft.events.JobFailed;
import io.nnft.events.JobId;
import io.nnft.events.PlansReady;
import io.nnft.planner.config.PlannerConfig;
import io.nnft.planner.service.PlanningService;
import io.nnft.services.common.EventPublisher;
import io.nnft.services.common.JobFailure;
import io.nnft.services.testing.RealKafkaAndS3;
import io.nnft.services.testing.TopicClient;
import io.nnft.storage.ObjectStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Whatever a FineTuneRequested record holds, the planner ends it in exactly one way (plans, a JobFailed, or one
 * dead letter with the reason), runs each job once, and its consumer goes on: after each case a valid request
 * is planned and liveness is UP. Counts are exact: the topics have one partition, so once the request sent
 * after a case has its outcome, everything the case caused has been published.
 */
@QuarkusTest
@QuarkusTestResource(RealKafkaAndS3.class)
class PlannerIntakeTests {
    private static final String SOURCE = "/nnft/test";
    private static final EventCodec CODEC = new EventCodec(SOURCE);
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String TOPIC = EventType.FINE_TUNE_REQUESTED.topic();
    private static final String CT = "datasets/Dataset001_CT/";

    @Inject
    ObjectStore store;

    @Inject
    EventPublisher publisher;

    @Inject
    PlannerConfig config;

    @BeforeAll
    static void uploadDataset() {
        RealKafkaAndS3.store().uploadDirectory(Path.of("src/test/resources/Dataset001_CT"), "datasets/Dataset001_CT");
    }

    @AfterEach
    void theConsumerGoesOnAndIsAlive() {
        try (TopicClient topics = new TopicClient(RealKafkaAndS3.bootstrapServers())) {
            String next = "next-" + UUID.randomUUID().toString().substring(0, 8);
            topics.publish(TOPIC, next, CODEC.encode(FineTuneRequested.of(CT).withJobId(next)));
            topics.await(EventType.PLANS_READY.topic(), r -> next.equals(r.key()), 1, WAIT);
        }
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void aRequestWithoutJobIdGetsOneDerivedFromItsEventWithOrWithoutAKey() throws IOException {
        try (TopicClient topics = new TopicClient(RealKafkaAndS3.bootstrapServers())) {
            String withoutKey = UUID.randomUUID().toString();
            String withKey = UUID.randomUUID().toString();
            topics.publish(TOPIC, null, CODEC.encode(FineTuneRequested.of(CT), withoutKey, Instant.now()));
            topics.publish(TOPIC, "some-key", CODEC.encode(FineTuneRequested.of(CT), withKey, Instant.now()));

            for (String eventId : List.of(withoutKey, withKey)) {
                String jobId = JobId.forEvent(SOURCE, eventId);
                // the assigned id is the key of every later event and the id inside them
                PlansReady ready = CODEC.decode(topics.await(EventType.PLANS_READY.topic(), r -> jobId.equals(r.key()),
                        1, WAIT).get(0).value(), PlansReady.class);
                assertThat(ready.jobId()).isEqualTo(jobId);
                assertThat(ready.request().jobId()).isEqualTo(jobId);
                assertThat(store.exists("jobs/" + jobId + "/plans/nnUNetPlans.json")).isTrue();
            }
            theConsumerGoesOnAndIsAlive();
            for (String key : List.of(JobId.forEvent(SOURCE, withoutKey), JobId.forEvent(SOURCE, withKey), "some-key")) {
                assertThat(count(topics, EventType.PLANS_READY.topic(), key)).as("PlansReady of " + key)
                        .isEqualTo(key.equals("some-key") ? 0 : 1);
                assertThat(count(topics, EventType.JOB_FAILED.topic(), key)).as("JobFailed of " + key).isZero();
                assertThat(count(topics, EventType.DEAD_LETTER_TOPIC, key)).as("dead letters of " + key).isZero();
            }
        }
    }

    @Test
    void aKeyNamingAnotherJobThanDataJobIdIsOneDeadLetterNamingBoth() {
        try (TopicClient topics = new TopicClient(RealKafkaAndS3.bootstrapServers())) {
            byte[] record = CODEC.encode(FineTuneRequested.of(CT).withJobId("key-mismatch-b"));
            topics.publish(TOPIC, "key-mismatch-a", record);
            theConsumerGoesOnAndIsAlive();

            List<ConsumerRecord<String, byte[]>> dead = topics.readAll(EventType.DEAD_LETTER_TOPIC,
                    r -> r.key() != null && r.key().startsWith("key-mismatch-"));
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).key()).isEqualTo("key-mismatch-a");
            assertThat(dead.get(0).value()).isEqualTo(record);
            assertThat(reason(dead.get(0))).contains("'key-mismatch-a'").contains("'key-mismatch-b'");
            for (String job : List.of("key-mismatch-a", "key-mismatch-b")) {
                assertThat(count(topics, EventType.PLANS_READY.topic(), job)).isZero();
                assertThat(count(topics, EventType.JOB_FAILED.topic(), job)).isZero();
            }
            assertThat(store.exists("jobs/key-mismatch-b/request.json")).isFalse();
        }
    }

    @Test
    void aKafkaKeyOf600KbIsOneDeadLetterQuotingOnlyItsStart() {
        // The reason once quoted the whole key: key + reason were 1.2 MB, the broker refused the dead letter, the
        // nack's dead-letter-queue send failed the same way and the consumer stopped (liveness DOWN; issue 15).
        try (TopicClient topics = new TopicClient(RealKafkaAndS3.bootstrapServers())) {
            String key = "huge-key-" + "k".repeat(600_000);
            byte[] record = CODEC.encode(FineTuneRequested.of(CT).withJobId("huge-key-b"));
            topics.publish(TOPIC, key, record);
            theConsumerGoesOnAndIsAlive();

            List<ConsumerRecord<String, byte[]>> dead = topics.readAll(EventType.DEAD_LETTER_TOPIC,
                    r -> r.key() != null && r.key().startsWith("huge-key-"));
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).key()).isEqualTo(key);
            assertThat(dead.get(0).value()).isEqualTo(record);
            assertThat(reason(dead.get(0))).contains("name different jobs").contains("'huge-key-b'")
                    .contains("(600009 characters)").hasSizeLessThan(1000);
            assertThat(count(topics, EventType.JOB_FAILED.topic(), "huge-key-b")).isZero();
        }
    }

    @Test
    void aRecordTooLargeToDeadLetterWithItsHeadersIsADeadLetterWithoutTheRecord() {
        // Just under the size limit, the record fits; with the dead letter's headers it does not.
        try (TopicClient topics = new TopicClient(RealKafkaAndS3.bootstrapServers())) {
            byte[] small = CODEC.encode(FineTuneRequested.of(CT).withJobId("near-limit-b"));
            String event = new String(small, StandardCharsets.UTF_8);
            int pad = 1_048_576 - 160 - small.length - ",\"padding\":\"\"".length();
            byte[] record = (event.substring(0, event.length() - 1) + ",\"padding\":\"" + "p".repeat(pad) + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            topics.publish(TOPIC, "near-limit-a", record);
            theConsumerGoesOnAndIsAlive();

            List<ConsumerRecord<String, byte[]>> dead = topics.readAll(EventType.DEAD_LETTER_TOPIC,
                    r -> "near-limit-a".equals(r.key()));
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).value()).isEmpty();
            assertThat(reason(dead.get(0))).contains("name different jobs")
                    .contains("the record itself could not be dead-lettered")
                    .containsPattern("it stays at nnft\\.fine-tune-requested-0@\\d+, " + record.length + " bytes");
        }
    }

    @Test
    void theSameEventThreeTimesIsPlannedOnce() {
        try (TopicClient topics = new TopicClient(RealKafkaAndS3.bootstrapServers())) {
            byte[] record = CODEC.encode(FineTuneRequested.of(CT).withJobId("same-event-1"));
            for (int i = 0; i < 3; i++) {
                topics.publish(TOPIC, "same-event-1", record);
            }
            // the same request again under a new event id (a producer's retry) is the same job too
            topics.publish(TOPIC, "same-event-1", CODEC.encode(FineTuneRequested.of(CT).withJobId("same-event-1")));
            theConsumerGoesOnAndIsAlive();

            assertThat(count(topics, EventType.PLANS_READY.topic(), "same-event-1")).isEqualTo(1);
            assertThat(count(topics, EventType.JOB_FAILED.topic(), "same-event-1")).isZero();
            assertThat(count(topics, EventType.DEAD_LETTER_TOPIC, "same-event-1")).isZero();
        }
    }

    @Test
    void aJobIdReusedForAnotherRequestIsOneDeadLetterAndNothingUnderThatId() {
        try (TopicClient topics = new TopicClient(RealKafkaAndS3.bootstrapServers())) {
            byte[] first = CODEC.encode(FineTuneRequested.of(CT).withJobId("reused-1"));
            topics.publish(TOPIC, "reused-1", first);
            topics.await(EventType.PLANS_READY.topic(), r -> "reused-1".equals(r.key()), 1, WAIT);
            byte[] other = CODEC.encode(FineTuneRequested.of("datasets/Dataset009_Missing/").withJobId("reused-1"));
            topics.publish(TOPIC, "reused-1", other);
            theConsumerGoesOnAndIsAlive();

            List<ConsumerRecord<String, byte[]>> dead = topics.readAll(EventType.DEAD_LETTER_TOPIC,
                    r -> "reused-1".equals(r.key()));
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).value()).isEqualTo(other);
            String firstId = CODEC.decode(first).id();
            assertThat(reason(dead.get(0))).contains("job id already used").contains("reused-1").contains(firstId);
            // the finished job is left as it was: one PlansReady, no JobFailed under its id
            assertThat(count(topics, EventType.PLANS_READY.topic(), "reused-1")).isEqualTo(1);
            assertThat(count(topics, EventType.JOB_FAILED.topic(), "reused-1")).isZero();
            assertThat(new String(store.getBytes("jobs/reused-1/request.json"), StandardCharsets.UTF_8))
                    .contains("Dataset001_CT").doesNotContain("Dataset009_Missing");
        }
    }

    @Test
    void aJobFailedThatCannotBePublishedIsOneDeadLetterWithBothReasons() {
        // a failure whose JobFailed breaks the schema (an empty reason): the failure path itself fails
        QuarkusMock.installMockForType(new PlanningService(store, publisher, config) {
            @Override
            public void plan(FineTuneRequested received) {
                if ("fail-path-1".equals(received.jobId())) {
                    throw new JobFailure("");
                }
                super.plan(received);
            }
        }, PlanningService.class);
        try (TopicClient topics = new TopicClient(RealKafkaAndS3.bootstrapServers())) {
            byte[] record = CODEC.encode(FineTuneRequested.of(CT).withJobId("fail-path-1"));
            topics.publish(TOPIC, "fail-path-1", record);
            theConsumerGoesOnAndIsAlive();

            List<ConsumerRecord<String, byte[]>> dead = topics.readAll(EventType.DEAD_LETTER_TOPIC,
                    r -> "fail-path-1".equals(r.key()));
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).value()).isEqualTo(record);
            assertThat(reason(dead.get(0))).contains("JobFailed could not be published").contains("/reason");
            assertThat(count(topics, EventType.JOB_FAILED.topic(), "fail-path-1")).isZero();
            assertThat(count(topics, EventType.PLANS_READY.topic(), "fail-path-1")).isZero();
        }
    }

    private static long count(TopicClient topics, String topic, String key) {
        return topics.readAll(topic, r -> key.equals(r.key())).size();
    }

    private static String reason(ConsumerRecord<String, byte[]> deadLetter) {
        return new String(deadLetter.headers().lastHeader(DeadLetter.REASON_HEADER).value(), StandardCharsets.UTF_8);
    }
}
