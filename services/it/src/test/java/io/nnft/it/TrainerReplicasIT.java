package io.nnft.it;

import static io.nnft.it.TrainerFaultHarness.CODEC;
import static io.nnft.it.TrainerFaultHarness.WAIT;
import static io.nnft.it.TrainerFaultHarness.instant;
import static io.nnft.it.TrainerFaultHarness.log;
import static io.nnft.it.TrainerFaultHarness.until;
import static io.nnft.it.TrainerFaultHarness.workers;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nnft.checkpoint.NnUNetCheckpoint;
import io.nnft.embedded.ServiceProcess;
import io.nnft.events.EventType;
import io.nnft.events.TrainingCompleted;
import io.nnft.services.testing.TopicClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Trainer replicas as real processes (each a Quarkus trainer JVM from the built fast-jar, with its own ledger
 * owner id and Kafka consumer group, so each receives every event) around one real broker and S3 server: two
 * trainers given the same job race for it and exactly one trains; a trainer SIGKILLed while it holds a job's
 * lease loses the job to the other once the TTL has passed; a trainer SIGKILLed mid-job and replaced by a new
 * process with its stable owner id resumes at once. A killed job resumes from its latest checkpoint in the
 * bucket, and every job ends with exactly one {@code TrainingCompleted}.
 */
class TrainerReplicasIT {
    private static final Duration SETTLE = Duration.ofSeconds(3);
    static TrainerFaultHarness h;

    @BeforeAll
    static void start() throws Exception {
        h = TrainerFaultHarness.start("TrainerReplicasIT");
    }

    @AfterEach
    void stopTrainers() {
        h.stopTrainers();
    }

    @AfterAll
    static void stop() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void twoTrainersGivenTheSameJobTrainItOnce() throws Exception {
        // No periodic scan during the test: what each trainer does about the job, it does on receiving the event.
        List<ServiceProcess> pair = h.startTrainers(Map.of("lease-ttl", "30s", "scan-every", "10m"), "race-a", "race-b");
        String id = "race-1";
        try (TopicClient topics = new TopicClient(h.bootstrapServers())) {
            h.publish(topics, h.event(id, 2));
            TrainingCompleted done = CODEC.decode(h.awaitExactly(topics, EventType.TRAINING_COMPLETED, id, 1, SETTLE)
                    .get(0).value(), TrainingCompleted.class);
            assertThat(done.epochsRun()).isEqualTo(2);
        }
        // One run: each epoch reported once.
        assertThat(h.progressEpochs(id)).containsExactly(0, 1);
        JsonNode state = h.state(id);
        assertThat(state.path("status").asText()).isEqualTo("completed");
        assertThat(state.path("attempt").asInt()).isEqualTo(1);
        String winner = state.path("owner").asText();
        assertThat(winner).isIn("race-a", "race-b");
        assertThat(h.claimKeys(id)).containsExactly("jobs/" + id + "/claims/attempt-1.json");
        assertThat(h.claim(id, 1).orElseThrow().path("owner").asText()).isEqualTo(winner);
        ServiceProcess won = pair.get(winner.equals("race-a") ? 0 : 1);
        ServiceProcess lost = pair.get(winner.equals("race-a") ? 1 : 0);
        String loser = winner.equals("race-a") ? "race-b" : "race-a";
        // Both received the event and both tried: the winner trained, the loser found the job held (or done).
        until(lost.name() + " handled " + id + " (log: " + lost.log() + ")", Duration.ofSeconds(30), () -> {
            String l = log(lost);
            return l.contains("job " + id + ": held by another replica or finished; nothing to start")
                    || l.contains("job " + id + ": already COMPLETED; a repeated PreprocessingCompleted starts nothing");
        });
        assertThat(log(won)).contains("job " + id + ": attempt 1 starts").contains("job " + id + ": completed after 2 epochs");
        assertThat(log(lost)).doesNotContain("job " + id + ": attempt");
        assertThat(h.workDir(winner).resolve(id).resolve("worker-attempt-1.log")).isRegularFile();
        assertThat(Files.exists(h.workDir(loser).resolve(id))).as("a work folder for %s on the loser", id).isFalse();
        assertThat(pair).allMatch(ServiceProcess::isAlive);
    }

    @Test
    void aTrainerKilledWhileHoldingTheLeaseLosesTheJobToTheOtherAfterTheTtl() throws Exception {
        List<ServiceProcess> pair = h.startTrainers(Map.of("lease-ttl", "8s", "scan-every", "2s"), "lease-a", "lease-b");
        String id = "takeover-1";
        int epochs = 8;
        try (TopicClient topics = new TopicClient(h.bootstrapServers())) {
            h.publish(topics, h.event(id, epochs));
            // The ledger records an epoch once its checkpoint is in the bucket.
            until("epoch 1 of " + id + " in the ledger", WAIT, () -> lastEpoch(id) >= 1);
            JsonNode held = h.state(id);
            String owner = held.path("owner").asText();
            assertThat(owner).isIn("lease-a", "lease-b");
            ServiceProcess dead = pair.get(owner.equals("lease-a") ? 0 : 1);
            ServiceProcess survivor = pair.get(owner.equals("lease-a") ? 1 : 0);
            String survivorId = owner.equals("lease-a") ? "lease-b" : "lease-a";
            List<ProcessHandle> deadWorkers = workers(dead);
            assertThat(deadWorkers).as("the owner's worker JVM").hasSize(1);
            assertThat(workers(survivor)).as("workers of the trainer that does not hold the job").isEmpty();
            Instant leaseUntil = instant(held, "leaseUntil");

            dead.kill(); // SIGKILL, as when the pod's node dies
            // The worker notices its service is gone (stdin closed) and stops: nothing trains for a dead owner.
            until("the dead trainer's worker " + deadWorkers.get(0).pid() + " exits", Duration.ofSeconds(20),
                    () -> !deadWorkers.get(0).isAlive());
            List<Integer> before = h.progressEpochs(id);
            int checkpointed = latestCheckpointEpochs(id);

            TrainingCompleted done = CODEC.decode(h.awaitExactly(topics, EventType.TRAINING_COMPLETED, id, 1, SETTLE)
                    .get(0).value(), TrainingCompleted.class);
            assertThat(done.epochsRun()).isEqualTo(epochs);
            JsonNode state = h.state(id);
            assertThat(state.path("status").asText()).isEqualTo("completed");
            assertThat(state.path("attempt").asInt()).isEqualTo(2);
            assertThat(state.path("owner").asText()).isEqualTo(survivorId);
            JsonNode second = h.claim(id, 2).orElseThrow();
            assertThat(second.path("owner").asText()).isEqualTo(survivorId);
            // Taken over only once the dead owner's lease (as last seen before the kill, or later) had run out.
            assertThat(instant(second, "claimedAt")).isAfterOrEqualTo(leaseUntil);
            assertThat(h.claimKeys(id)).hasSize(2);
            assertThat(log(survivor)).contains("job " + id + ": attempt 2 resumes from");
            assertResumedFrom(id, epochs, before, checkpointed);
        }
    }

    @Test
    void aTrainerKilledMidJobIsReplacedByANewProcessThatResumesFromTheLatestCheckpoint() throws Exception {
        // A StatefulSet pod: a stable owner id, a lease far longer than the test, a fresh pod (work folder) after the kill.
        Map<String, String> settings = Map.of("lease-ttl", "2m", "scan-every", "2s");
        ServiceProcess first = h.startTrainer("trainer-stable-first", "stable-0", "stable-0-first", settings);
        String id = "restart-1";
        int epochs = 8;
        try (TopicClient topics = new TopicClient(h.bootstrapServers())) {
            h.publish(topics, h.event(id, epochs));
            until("epoch 1 of " + id + " in the ledger", WAIT, () -> lastEpoch(id) >= 1);
            List<ProcessHandle> killedWorkers = workers(first);
            assertThat(killedWorkers).as("the trainer's worker JVM").hasSize(1);
            Instant leaseUntil = instant(h.state(id), "leaseUntil");
            first.kill();
            until("the killed trainer's worker exits", Duration.ofSeconds(20), () -> !killedWorkers.get(0).isAlive());
            List<Integer> before = h.progressEpochs(id);
            int checkpointed = latestCheckpointEpochs(id);

            ServiceProcess second = h.startTrainer("trainer-stable-second", "stable-0", "stable-0-second", settings);
            TrainingCompleted done = CODEC.decode(h.awaitExactly(topics, EventType.TRAINING_COMPLETED, id, 1, SETTLE)
                    .get(0).value(), TrainingCompleted.class);
            assertThat(done.epochsRun()).isEqualTo(epochs);
            JsonNode state = h.state(id);
            assertThat(state.path("status").asText()).isEqualTo("completed");
            assertThat(state.path("attempt").asInt()).isEqualTo(2);
            assertThat(state.path("owner").asText()).isEqualTo("stable-0");
            // Its own job from before the restart: resumed at once, not after the 2-minute lease.
            assertThat(instant(h.claim(id, 2).orElseThrow(), "claimedAt")).isBefore(leaseUntil);
            assertThat(log(second)).contains("job " + id + ": attempt 2 resumes from");
            assertThat(h.store().exists("jobs/" + id + "/logs/worker-attempt-2.log")).isTrue();
            assertResumedFrom(id, epochs, before, checkpointed);
        }
    }

    /** The epoch the ledger last recorded for the job (-1: none yet). */
    private static int lastEpoch(String jobId) {
        return h.store().exists("jobs/" + jobId + "/state.json") ? h.state(jobId).path("lastEpoch").asInt(-1) : -1;
    }

    /** How many epochs the job's {@code checkpoint_latest.pth} in the bucket has finished (its current_epoch). */
    private static int latestCheckpointEpochs(String jobId) throws IOException {
        Path fold = h.download("jobs/" + jobId + "/model/fold_all/", jobId + "-at-kill");
        return NnUNetCheckpoint.read(fold.resolve("checkpoint_latest.pth")).currentEpoch();
    }

    /**
     * After the kill the job went on from the checkpoint that was in the bucket: the epochs reported afterwards are
     * exactly the ones after it, each once, up to the last; epoch 0 was trained once; the final checkpoint has all.
     */
    private static void assertResumedFrom(String jobId, int epochs, List<Integer> before, int checkpointed)
            throws IOException {
        assertThat(checkpointed).as("epochs in the checkpoint at the kill").isBetween(2, epochs - 1);
        assertThat(before).as("epochs reported before the kill")
                .isEqualTo(IntStream.range(0, before.size()).boxed().toList()).hasSizeLessThanOrEqualTo(checkpointed);
        List<Integer> all = h.progressEpochs(jobId);
        assertThat(all.subList(before.size(), all.size())).as("epochs reported after the kill (all: %s)", all)
                .isEqualTo(IntStream.range(checkpointed, epochs).boxed().toList());
        Path model = h.download("jobs/" + jobId + "/model/", jobId);
        assertThat(NnUNetCheckpoint.read(model.resolve("fold_all/checkpoint_final.pth")).currentEpoch())
                .isEqualTo(epochs);
    }
}
