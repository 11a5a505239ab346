package io.nnft.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;

import io.nnft.events.EventCodec;
import io.nnft.events.EventType;
import io.nnft.events.JobFailed;
import io.nnft.services.testing.InMemoryTopics;
import io.nnft.services.testing.RealS3;
import io.nnft.services.testing.Topics;
import io.nnft.storage.ObjectStore;
import io.nnft.trainer.service.JobLedger;
import io.nnft.trainer.service.JobState;
import io.nnft.trainer.service.TrainingJobs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trainer whose engine self-check fails ({@link FailingEngineSelfCheck}): it claims nothing, trains nothing, records
 * its refusal in the ledger and leaves the job requested; only after {@code give-up-after} with nobody claiming the job
 * does it publish a JobFailed naming the check. Readiness says why, the metrics count it.
 */
@QuarkusTest
@TestProfile(TrainerSelfCheckFailsTests.BrokenEngine.class)
@WithTestResource(TrainerChannels.class)
class TrainerSelfCheckFailsTests {
    private static final EventCodec CODEC = new EventCodec("/nnft/test");
    private static final Duration GIVE_UP_AFTER = Duration.ofSeconds(8);
    private static final String PRE = "fixtures/synthetic/preprocessed/3d_fullres/";

    public static class BrokenEngine implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(FailingEngineSelfCheck.class);
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("nnft.trainer.selfcheck.give-up-after", GIVE_UP_AFTER.toSeconds() + "s",
                    "nnft.trainer.work-dir", "${java.io.tmpdir}/nnft-trainer-test-broken-engine");
        }
    }

    @TempDir
    static Path tmp;

    @Inject
    TrainingJobs jobs;

    @Inject
    @Any
    InMemoryConnector connector;

    @Test
    void aFailingSelfCheckClaimsNothingAndFailsTheJobNamingTheCheckOnlyAfterGiveUpAfter() throws Exception {
        ObjectStore store = RealS3.store();
        store.uploadDirectory(TestData.preprocessed(tmp.resolve("pre")), PRE);
        String id = "selfcheck-refused-1";
        String refusalKey = "jobs/" + id + "/selfcheck/" + jobs.ledger().owner() + ".json";
        try (Topics topics = new InMemoryTopics(connector)) {
            topics.publish(EventType.PREPROCESSING_COMPLETED.topic(), id, CODEC.encode(TrainerTests.event(id, 2, null)));
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!store.exists(refusalKey) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(store.exists(refusalKey)).as(refusalKey).isTrue();
            Instant refusedAt = Instant.now();
            // Refused: still requested for other nodes, nothing claimed, nothing trained.
            JobState s = state(id);
            assertThat(s.status()).isEqualTo(JobState.Status.REQUESTED);
            assertThat(store.exists(JobLedger.claimKey(id, 1))).isFalse();
            assertThat(new String(store.getBytes(refusalKey))).contains(FailingEngineSelfCheck.VERDICT);
            RestAssured.get("/q/health/ready").then().statusCode(503).body(containsString("trainer-selfcheck"))
                    .body(containsString("doctor: FAILED"));

            JobFailed failed = CODEC.decode(topics.await(EventType.JOB_FAILED.topic(), r -> id.equals(r.key()), 1,
                    Duration.ofSeconds(60)).get(0).value(), JobFailed.class);
            assertThat(Duration.between(Instant.parse(firstRefusedAt(store, refusalKey)), Instant.now()))
                    .isGreaterThanOrEqualTo(GIVE_UP_AFTER);
            assertThat(Duration.between(refusedAt, Instant.now())).as("the job stayed requested until give-up-after")
                    .isGreaterThan(GIVE_UP_AFTER.minusSeconds(3));
            assertThat(failed.stage()).isEqualTo(JobFailed.Stage.TRAINING);
            assertThat(failed.retriable()).isFalse();
            assertThat(failed.reason()).contains("give-up-after").contains(FailingEngineSelfCheck.VERDICT)
                    .contains(jobs.ledger().owner());
            assertThat(failed.problems()).singleElement().satisfies(p -> {
                assertThat(p.where()).isEqualTo(refusalKey);
                assertThat(p.found()).isEqualTo(FailingEngineSelfCheck.VERDICT);
            });
            assertThat(TrainerTests.state(id).status()).isEqualTo(JobState.Status.FAILED);
            for (EventType none : new EventType[] {EventType.TRAINING_PROGRESS, EventType.TRAINING_COMPLETED}) {
                assertThatThrownBy(() -> topics.await(none.topic(), r -> id.equals(r.key()), 1, Duration.ofSeconds(3)))
                        .as("a %s for %s", none.eventName(), id).isInstanceOf(AssertionError.class);
            }
            assertThatThrownBy(() -> topics.await(EventType.JOB_FAILED.topic(), r -> id.equals(r.key()), 2,
                    Duration.ofSeconds(4))).as("a second JobFailed").isInstanceOf(AssertionError.class);
            assertThat(store.exists("jobs/" + id + "/logs/worker-attempt-1.log")).isFalse();
        }
        RestAssured.get("/q/metrics").then().statusCode(200)
                .body(containsString("nnft_trainer_selfcheck_ok{plan="))
                .body(containsString("nnft_trainer_selfcheck_refusals_total"))
                .body(containsString("nnft_trainer_selfcheck_runs_total{outcome=\"failed\"} 1.0"));
    }

    private static String firstRefusedAt(ObjectStore store, String key) throws java.io.IOException {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(store.getBytes(key)).get("firstRefusedAt")
                .asText();
    }

    private static JobState state(String jobId) {
        return new JobLedger(RealS3.store(), "probe", Duration.ofMinutes(1), Clock.systemUTC()).read(jobId)
                .orElseThrow();
    }
}
