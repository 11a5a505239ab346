package io.nnft.gateway.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.nnft.events.EventCodec;
import io.nnft.events.FineTuneRequested;
import io.nnft.events.JobFailed;
import io.nnft.events.TrainingProgress;
import io.nnft.gateway.GatewayChannels;
import io.nnft.services.testing.InMemoryTopics;
import io.nnft.services.testing.RealS3;
import io.nnft.services.testing.Topics;
import io.nnft.storage.ObjectStore;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** %test sets nnft.gateway.retention=1s: a finished job's intermediates go, a running job's stay. */
@QuarkusTest
@WithTestResource(GatewayChannels.class)
class RetentionTests {
    @Inject
    @Any
    InMemoryConnector connector;

    @Inject
    RetentionSweeper sweeper;

    @Inject
    JobViews views;

    private static void put(ObjectStore store, String key) {
        store.put(key, key.getBytes(StandardCharsets.UTF_8), "application/octet-stream");
    }

    private static void publish(Topics topics, io.nnft.events.NnftEvent e) {
        topics.publish(e.type().topic(), e.jobId(), new EventCodec("/nnft/test-stage").encode(e));
    }

    private void awaitStage(String id, String stage) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        while (views.find(id).map(v -> !v.stage().wireName().equals(stage)).orElse(true)) {
            assertThat(System.nanoTime()).as("job %s reaching %s", id, stage).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @Test
    void finishedJobsLoseTheirIntermediatesAfterTheRetention() throws Exception {
        ObjectStore store = RealS3.store();
        String done = "gw-ret-done";
        String running = "gw-ret-running";
        for (String id : new String[] {done, running}) {
            put(store, "jobs/" + id + "/preprocessed/3d_fullres/case_000.npy");
            put(store, "jobs/" + id + "/model/fold_0/checkpoint_latest.pth");
            put(store, "jobs/" + id + "/model/fold_0/checkpoint_final.pth");
            put(store, "jobs/" + id + "/plans/plans.json");
        }
        try (Topics topics = new InMemoryTopics(connector)) {
            for (String id : new String[] {done, running}) {
                publish(topics, FineTuneRequested.of("datasets/Dataset002_Heart/").withJobId(id).withDefaults());
                publish(topics, new TrainingProgress(id, 0, 2, Map.of("train_loss", 0.5), null));
            }
            publish(topics, JobFailed.of(done, JobFailed.Stage.TRAINING, "diverged", false));
        }
        awaitStage(done, "failed");
        awaitStage(running, "training");
        Thread.sleep(1100);
        assertThat(sweeper.sweep()).contains(done).doesNotContain(running);

        assertThat(store.list("jobs/" + done + "/preprocessed/")).isEmpty();
        assertThat(store.exists("jobs/" + done + "/model/fold_0/checkpoint_latest.pth")).isFalse();
        assertThat(store.exists("jobs/" + done + "/model/fold_0/checkpoint_final.pth")).isTrue();
        assertThat(store.exists("jobs/" + done + "/plans/plans.json")).isTrue();
        assertThat(store.list("jobs/" + running + "/preprocessed/")).hasSize(1);
        assertThat(store.exists("jobs/" + running + "/model/fold_0/checkpoint_latest.pth")).isTrue();
        assertThat(views.find(done).orElseThrow().intermediatesExpiredAt()).isNotNull();
        // done once: a second sweep has nothing left to do for it
        assertThat(sweeper.sweep()).doesNotContain(done);
        given().header("Authorization", "Bearer test-key-1").get("/jobs/" + done).then().statusCode(200)
                .body("intermediatesExpiredAt", org.hamcrest.Matchers.notNullValue());
    }
}
