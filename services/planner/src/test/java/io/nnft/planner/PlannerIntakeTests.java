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
import io.nnft.services.testing.InMemoryChannelsAndS3;
import io.nnft.services.testing.InMemoryTopics;
import io.nnft.services.testing.RealS3;
import io.nnft.services.testing.Topics;
import io.nnft.storage.ObjectStore;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import jakarta.enterprise.inject.Any;
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
 * is planned and liveness is UP. Counts are exact: the channel hands records over in order, one at a time, so
 * once the request sent after a case has its outcome, everything the case caused has been published. Records the
 * broker itself refuses (too large to dead-letter as they are) are in {@link PlannerIntakeIT}.
 */
@QuarkusTest
@WithTestResource(value = InMemoryChannelsAndS3.class,
        initArgs = @ResourceArg(name = InMemoryChannelsAndS3.INCOMING, value = "fine-tune-requested"))
class PlannerIntakeTests {
    private static final String SOURCE = "/nnft/test";
    private static final EventCodec CODEC = new EventCodec(SOURCE);
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String TOPIC = EventType.FINE_TUNE_REQUESTED.topic();
    private static final String CT = "datasets/Dataset001_CT/";

    @Inject
    @Any
    InMemoryConnector connector;

    @Inject
    ObjectStore store;

    @Inject
    EventPublisher publisher;

    @Inject
    PlannerConfig config;

    @BeforeAll
    static void uploadDataset() {
        RealS3.store().uploadDirectory(Path.of("src/test/resources/Dataset001_CT"), "datasets/Dataset001_CT");
    }

    @AfterEach
    void theConsumerGoesOnAndIsAlive() {
        try (Topics topics = new InMemoryTopics(connector)) {
            String next = "next-" + UUID.randomUUID().toString().substring(0, 8);
            topics.publish(TOPIC, next, CODEC.encode(FineTuneRequested.of(CT).withJobId(next)));
            topics.await(EventType.PLANS_READY.topic(), r -> next.equals(r.key()), 1, WAIT);
        }
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void aRequestWithoutJobIdGetsOneDerivedFromItsEventWithOrWithoutAKey() throws IOException {
        try (Topics topics = new InMemoryTopics(connector)) {
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
        try (Topics topics = new InMemoryTopics(connector)) {
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
    void theSameEventThreeTimesIsPlannedOnce() {
        try (Topics topics = new InMemoryTopics(connector)) {
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
        try (Topics topics = new InMemoryTopics(connector)) {
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
        try (Topics topics = new InMemoryTopics(connector)) {
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

    static long count(Topics topics, String topic, String key) {
        return topics.readAll(topic, r -> key.equals(r.key())).size();
    }

    static String reason(ConsumerRecord<String, byte[]> deadLetter) {
        return new String(deadLetter.headers().lastHeader(DeadLetter.REASON_HEADER).value(), StandardCharsets.UTF_8);
    }
}
