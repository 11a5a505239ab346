package io.nnft.it;

import static io.nnft.it.TrainerFaultHarness.CODEC;
import static io.nnft.it.TrainerFaultHarness.WAIT;
import static io.nnft.it.TrainerFaultHarness.log;
import static io.nnft.it.TrainerFaultHarness.until;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nnft.checkpoint.NnUNetCheckpoint;
import io.nnft.embedded.ServiceProcess;
import io.nnft.events.EventType;
import io.nnft.events.TrainingCompleted;
import io.nnft.services.testing.TopicClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The S3 server goes away for 15 s while a job trains (after its first epoch is in the bucket) and comes back on
 * the same port with the same objects. The trainer (a real trainer JVM with its worker JVM) rides the outage out
 * with retries: the worker keeps training locally, uploads and lease renewals are retried with back-off,
 * readiness goes DOWN while the lease cannot be renewed but liveness stays UP (no restart for an outage), and the
 * job completes in its first attempt with every epoch reported once, one {@code TrainingCompleted} and its
 * checkpoints in the bucket.
 */
class StorageOutageIT {
    private static final Duration OUTAGE = Duration.ofSeconds(15);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void anS3OutageMidJobIsRiddenOutWithRetriesAndTheJobCompletesOnce() throws Exception {
        try (TrainerFaultHarness h = TrainerFaultHarness.start("StorageOutageIT")) {
            // Back-off 1, 2, 4, 8, 16 s ...: 8 tries outlast a 15 s outage (as the default does in production).
            ServiceProcess trainer = h.startTrainer("trainer-outage", "outage-a", "outage-a",
                    Map.of("lease-ttl", "6s", "scan-every", "2s", "storage-retries", "8"));
            String id = "outage-1";
            int epochs = 24;
            try (TopicClient topics = new TopicClient(h.bootstrapServers())) {
                h.publish(topics, h.event(id, epochs));
                // The first epoch is recorded in the ledger once its checkpoint is up, right before its progress event.
                until("epoch 0 of " + id + " in the ledger", WAIT, () -> h.store().exists("jobs/" + id + "/state.json")
                        && h.state(id).path("lastEpoch").asInt(-1) >= 0);

                long down = System.nanoTime();
                h.s3().stop();
                // Lease renewals fail: after the TTL the trainer says it is not ready (another replica may take the
                // job), but it stays live: a restart would throw away the training the retries are protecting.
                until("readiness DOWN during the outage", OUTAGE, () -> status(trainer, "/q/health/ready") == 503);
                assertThat(status(trainer, "/q/health/live")).as("liveness during the outage").isEqualTo(200);
                assertThat(h.s3().isRunning()).isFalse();
                Thread.sleep(Math.max(0, OUTAGE.toMillis() - (System.nanoTime() - down) / 1_000_000));
                h.s3().restart();

                TrainingCompleted done = CODEC.decode(h.awaitExactly(topics, EventType.TRAINING_COMPLETED, id, 1,
                        Duration.ofSeconds(3)).get(0).value(), TrainingCompleted.class);
                assertThat(done.epochsRun()).isEqualTo(epochs);
            }
            // Every epoch reported exactly once, in order: nothing lost to the outage, nothing trained twice.
            assertThat(h.progressEpochs(id)).isEqualTo(IntStream.range(0, epochs).boxed().toList());
            JsonNode state = h.state(id);
            assertThat(state.path("status").asText()).isEqualTo("completed");
            assertThat(state.path("attempt").asInt()).as("the first attempt survived the outage").isEqualTo(1);
            assertThat(h.claimKeys(id)).containsExactly("jobs/" + id + "/claims/attempt-1.json");
            Path model = h.download("jobs/" + id + "/model/", id);
            for (String f : List.of("fold_all/checkpoint_best.pth", "fold_all/checkpoint_latest.pth",
                    "fold_all/training_log.json", "plans.json")) {
                assertThat(model.resolve(f)).as(f + " in the bucket").isRegularFile();
            }
            assertThat(NnUNetCheckpoint.read(model.resolve("fold_all/checkpoint_final.pth")).currentEpoch())
                    .isEqualTo(epochs);
            String log = log(trainer);
            assertThat(log).as("retries in %s", trainer.log())
                    .containsPattern("job " + id + ": upload epoch \\d+ of " + id + " failed \\(try 1 of 8\\), retrying in 1 s")
                    .contains("job " + id + ": lease renewal failed (will retry)");
            assertThat(status(trainer, "/q/health/ready")).as("readiness after the outage").isEqualTo(200);
        }
    }

    private static int status(ServiceProcess p, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(p.baseUrl() + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
