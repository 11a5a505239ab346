package io.nnft.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import io.nnft.events.EventCodec;
import io.nnft.events.EventType;
import io.nnft.events.TrainingCompleted;
import io.nnft.services.testing.InMemoryTopics;
import io.nnft.services.testing.RealS3;
import io.nnft.services.testing.Topics;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nnft.trainer.selfcheck.enabled=false}: no check is asked (not even a failing engine's), the job trains. */
@QuarkusTest
@TestProfile(TrainerSelfCheckDisabledTests.CheckOff.class)
@WithTestResource(TrainerChannels.class)
class TrainerSelfCheckDisabledTests {
    private static final EventCodec CODEC = new EventCodec("/nnft/test");
    private static final String PRE = "fixtures/synthetic/preprocessed/3d_fullres/";

    public static class CheckOff implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(FailingEngineSelfCheck.class);
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("nnft.trainer.selfcheck.enabled", "false",
                    "nnft.trainer.work-dir", "${java.io.tmpdir}/nnft-trainer-test-check-off");
        }
    }

    @TempDir
    static Path tmp;

    @Inject
    @Any
    InMemoryConnector connector;

    @Test
    void withTheCheckOffAJobIsClaimedAndTrainedWithoutOne() throws Exception {
        RealS3.store().uploadDirectory(TestData.preprocessed(tmp.resolve("pre")), PRE);
        String id = "selfcheck-off-1";
        try (Topics topics = new InMemoryTopics(connector)) {
            topics.publish(EventType.PREPROCESSING_COMPLETED.topic(), id, CODEC.encode(TrainerTests.event(id, 1, null)));
            TrainingCompleted done = CODEC.decode(topics.await(EventType.TRAINING_COMPLETED.topic(),
                    r -> id.equals(r.key()), 1, Duration.ofSeconds(150)).get(0).value(), TrainingCompleted.class);
            assertThat(done.epochsRun()).isEqualTo(1);
        }
        assertThat(RealS3.store().list("jobs/" + id + "/selfcheck/")).isEmpty();
        RestAssured.get("/q/health/ready").then().statusCode(200).body(containsString("trainer-selfcheck"))
                .body(not(containsString("doctor:")));
        RestAssured.get("/q/metrics").then().statusCode(200).body(not(containsString("nnft_trainer_selfcheck_runs_total")));
    }
}
