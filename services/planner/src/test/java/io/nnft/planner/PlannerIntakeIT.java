package io.nnft.planner;

import static io.nnft.planner.PlannerIntakeTests.count;
import static io.nnft.planner.PlannerIntakeTests.reason;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.nnft.events.EventCodec;
import io.nnft.events.EventType;
import io.nnft.events.FineTuneRequested;
import io.nnft.services.testing.IntegrationTier;
import io.nnft.services.testing.RealKafkaAndS3;
import io.nnft.services.testing.TopicClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What only a real broker shows: records whose dead letter the broker would refuse (past its 1 MiB record limit)
 * still end in one dead letter, and the consumer goes on: after each case a valid request is planned through the
 * broker, liveness is UP and readiness too, the broker's check included. Everything else about the intake is in
 * {@link PlannerIntakeTests}.
 */
@QuarkusTest
@TestProfile(IntegrationTier.class)
class PlannerIntakeIT {
    private static final String SOURCE = "/nnft/test";
    private static final EventCodec CODEC = new EventCodec(SOURCE);
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String TOPIC = EventType.FINE_TUNE_REQUESTED.topic();
    private static final String CT = "datasets/Dataset001_CT/";

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
        // the integration tier's profile (it) checks the broker for readiness, as production does
        given().get("/q/health/ready").then().statusCode(200).body(containsString("Kafka connection health check"));
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
}
