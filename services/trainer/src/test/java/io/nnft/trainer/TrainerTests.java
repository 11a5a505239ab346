package io.nnft.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;

import io.nnft.checkpoint.NnUNetCheckpoint;
import io.nnft.events.Configuration;
import io.nnft.events.EventCodec;
import io.nnft.events.EventType;
import io.nnft.events.FineTuneRequested;
import io.nnft.events.Fold;
import io.nnft.events.JobCancelRequested;
import io.nnft.events.JobFailed;
import io.nnft.events.PreprocessingCompleted;
import io.nnft.events.TrainingCompleted;
import io.nnft.events.TrainingProgress;
import io.nnft.events.TrainingStarted;
import io.nnft.services.testing.InMemoryTopics;
import io.nnft.services.testing.RealS3;
import io.nnft.services.testing.Topics;
import io.nnft.storage.ObjectStore;
import io.nnft.trainer.service.Claim;
import io.nnft.trainer.service.JobLedger;
import io.nnft.trainer.service.JobState;
import io.nnft.trainer.service.TrainingJobs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer on in-memory channels and a real S3 server, with real worker JVMs training a slim network for a few
 * iterations: progress and one completion per job however often the event comes, a loadable nnU-Net model
 * folder in the bucket, cancellation, a SIGKILLed worker resumed from its latest checkpoint, and a job whose
 * owner died taken over after its lease.
 */
@QuarkusTest
@WithTestResource(TrainerChannels.class)
class TrainerTests {
    private static final EventCodec CODEC = new EventCodec("/nnft/test");
    private static final Duration WAIT = Duration.ofSeconds(150);
    private static final String PRE = "fixtures/synthetic/preprocessed/3d_fullres/";
    private static final String PRE_CLS = "fixtures/synthetic-cls/preprocessed/3d_fullres/";
    private static final String PRE_NO_LABELS = "fixtures/synthetic-nolabels/preprocessed/3d_fullres/";

    @TempDir
    static Path tmp;

    @Inject
    TrainingJobs jobs;

    @Inject
    @Any
    InMemoryConnector connector;

    @BeforeAll
    static void upload() throws IOException {
        // The trainer keeps a job's downloaded inputs in its work folder by job id; a previous run's copy there
        // (older test data) must not stand in for this run's upload.
        Path work = org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("nnft.trainer.work-dir", Path.class);
        io.nnft.services.common.WorkDirs.deleteRecursively(work);
        RealS3.store().uploadDirectory(TestData.preprocessed(tmp.resolve("pre")), PRE);
        RealS3.store().uploadDirectory(TestData.classification(tmp.resolve("pre-cls")), PRE_CLS);
    }

    static PreprocessingCompleted classificationEvent(String jobId, int epochs, String prefix) throws IOException {
        String b = "s3://" + RealS3.store().bucket() + "/";
        FineTuneRequested r = io.nnft.events.EventJson.mapper().readValue("{\"jobId\":\"" + jobId + "\","
                + "\"task\":\"classification\",\"dataset\":\"" + b + "datasets/Dataset001_Synthetic/\","
                + "\"fold\":\"all\",\"seed\":7,\"budget\":{\"epochs\":" + epochs + ",\"iterationsPerEpoch\":2},"
                + "\"optimizer\":{\"initialLr\":1e-3,\"encoderLrFactor\":0.1},"
                + "\"earlyStopping\":{\"metric\":\"auc\",\"patience\":50},"
                + "\"classification\":{\"head\":{\"hiddenUnits\":[8],\"dropout\":0.1},\"crop\":\"center\"}}",
                FineTuneRequested.class);
        return new PreprocessingCompleted(jobId, r, b + prefix + "nnUNetPlans.json", b + prefix + "dataset.json",
                b + prefix, null, Configuration.THREE_D_FULLRES, 3, 1L, 1.0);
    }

    @Test
    void aClassificationJobTrainsTheClassifierWithClassificationMetrics() throws IOException {
        ObjectStore store = RealS3.store();
        String id = "train-cls-1";
        try (Topics topics = new InMemoryTopics(connector)) {
            topics.publish(EventType.PREPROCESSING_COMPLETED.topic(), id, CODEC.encode(classificationEvent(id, 2, PRE_CLS)));
            TrainingCompleted done = CODEC.decode(await(topics, EventType.TRAINING_COMPLETED, id, 1).get(0).value(),
                    TrainingCompleted.class);
            List<TrainingProgress> progress = await(topics, EventType.TRAINING_PROGRESS, id, 2).stream()
                    .map(r -> CODEC.decode(r.value(), TrainingProgress.class)).toList();
            assertThat(progress).extracting(TrainingProgress::epoch).containsExactly(0, 1);
            // Training from the claim on, once (one claim, one attempt), named with the replica that claimed it
            List<TrainingStarted> started = await(topics, EventType.TRAINING_STARTED, id, 1).stream()
                    .map(r -> CODEC.decode(r.value(), TrainingStarted.class)).toList();
            assertThat(started).containsExactly(new TrainingStarted(id, 1, jobs.ledger().owner(), 2));
            assertNoMore(topics, EventType.TRAINING_STARTED, id, 1);
            for (TrainingProgress p : progress) {
                assertThat(p.metrics()).containsKeys("train_loss", "val_loss", "accuracy", "balanced_accuracy", "auc",
                        "confusion/absent/absent", "confusion/absent/present", "confusion/present/absent",
                        "confusion/present/present", "lr", "encoder_lr", "epoch_time_s");
                assertThat(p.metrics()).doesNotContainKey("ema_pseudo_dice");
                // fold "all" validates on the 3 training cases: 2 "absent", 1 "present"
                assertThat(p.metrics().get("confusion/absent/absent") + p.metrics().get("confusion/absent/present"))
                        .isEqualTo(2.0);
                assertThat(p.metrics().get("confusion/present/absent") + p.metrics().get("confusion/present/present"))
                        .isEqualTo(1.0);
                assertThat(p.metrics().get("accuracy")).isBetween(0.0, 1.0);
            }
            // differential learning rates: the encoder's is the head's x 0.1 / 10 (headLrFactor 10 by default)
            assertThat(progress.get(0).metrics().get("encoder_lr") / progress.get(0).metrics().get("lr"))
                    .isCloseTo(0.01, org.assertj.core.api.Assertions.within(1e-9));
            assertThat(done.epochsRun()).isEqualTo(2);
            assertThat(done.bestEmaPseudoDice()).isNull();
            assertThat(done.finalValidationDice()).isNull();
            assertThat(done.finalMetrics()).containsKeys("balanced_accuracy", "auc");
            // the monitored metric (earlyStopping.metric) at its best, as checkpoint_best holds it
            assertThat(done.bestMetric().name()).isEqualTo("auc");
            assertThat(done.bestMetric().epoch()).isBetween(0, 1);
            assertThat(done.bestMetric().value()).isEqualTo(progress.get(done.bestMetric().epoch()).metrics().get("auc"));
            assertThat(done.checkpoints().finalCheckpoint()).endsWith("jobs/" + id + "/model/fold_all/checkpoint_final.pth");
            assertThat(done.checkpoints().latest()).endsWith("fold_all/checkpoint_latest.pth");

            Path model = tmp.resolve(id);
            store.downloadPrefix("jobs/" + id + "/model/", model);
            NnUNetCheckpoint ckpt = NnUNetCheckpoint.read(model.resolve("fold_all/checkpoint_final.pth"));
            assertThat(ckpt.currentEpoch()).isEqualTo(2);
            assertThat(ckpt.canonicalWeights()).containsKeys("encoder.stages.0.0.convs.0.conv.weight",
                    "head.fc.0.weight", "head.fc.1.weight");
            assertThat(ckpt.canonicalWeights().get("head.fc.1.weight").shape()).containsExactly(2, 8);
            for (String f : new String[] {"plans.json", "dataset.json", "classification.json", "fold_all/training_log.json",
                    "fold_all/progress.png"}) {
                assertThat(model.resolve(f)).as(f).isRegularFile();
            }
            assertThat(state(id).status()).isEqualTo(JobState.Status.COMPLETED);
        }
    }

    @Test
    void aClassificationJobWithoutItsLabelsFailsNamingTheFile() throws IOException {
        RealS3.store().uploadDirectory(tmp.resolve("pre"), PRE_NO_LABELS);
        String id = "train-cls-nolabels-1";
        try (Topics topics = new InMemoryTopics(connector)) {
            topics.publish(EventType.PREPROCESSING_COMPLETED.topic(), id,
                    CODEC.encode(classificationEvent(id, 2, PRE_NO_LABELS)));
            JobFailed failed = CODEC.decode(await(topics, EventType.JOB_FAILED, id, 1).get(0).value(), JobFailed.class);
            assertThat(failed.stage()).isEqualTo(JobFailed.Stage.TRAINING);
            assertThat(failed.reason()).contains("classification.csv");
            assertThat(failed.retriable()).isFalse();
        }
    }

    static PreprocessingCompleted event(String jobId, int epochs, FineTuneRequested.Optimizer optimizer) {
        String b = "s3://" + RealS3.store().bucket() + "/";
        FineTuneRequested r = new FineTuneRequested(jobId, null, b + "datasets/Dataset001_Synthetic/", null, null,
                Configuration.THREE_D_FULLRES, Fold.ALL, 7, new FineTuneRequested.Budget(epochs, 2, 1, 1), optimizer,
                null, null, null, null);
        return new PreprocessingCompleted(jobId, r, b + PRE + "nnUNetPlans.json", b + PRE + "dataset.json", b + PRE, null,
                Configuration.THREE_D_FULLRES, 3, 1L, 1.0);
    }

    private static List<ConsumerRecord<String, byte[]>> await(Topics topics, EventType type, String jobId, int n) {
        return topics.await(type.topic(), r -> jobId.equals(r.key()), n, WAIT);
    }

    private static void assertNoMore(Topics topics, EventType type, String jobId, int n) {
        assertThatThrownBy(() -> topics.await(type.topic(), r -> jobId.equals(r.key()), n + 1, Duration.ofSeconds(4)))
                .as("a %d-th %s for %s", n + 1, type.eventName(), jobId).isInstanceOf(AssertionError.class);
    }

    /**
     * The job's ledger entry once it has ended (at most 30 s): the trainer publishes a job's last event, then writes
     * its end to the ledger, and on in-memory channels the test sees the event before that write.
     */
    static JobState state(String jobId) {
        JobLedger ledger = new JobLedger(RealS3.store(), "probe", Duration.ofMinutes(1), Clock.systemUTC());
        long deadline = System.nanoTime() + 30_000_000_000L;
        JobState s = ledger.read(jobId).orElseThrow();
        while (!s.status().terminal() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for the ledger of " + jobId, e);
            }
            s = ledger.read(jobId).orElseThrow();
        }
        return s;
    }

    @Test
    void theSameEventThreeTimesTrainsOnceWithProgressAndALoadableModelFolder() throws IOException, InterruptedException {
        ObjectStore store = RealS3.store();
        String id = "train-ok-1";
        try (Topics topics = new InMemoryTopics(connector)) {
            byte[] bytes = CODEC.encode(event(id, 2, null));
            for (int i = 0; i < 3; i++) {
                topics.publish(EventType.PREPROCESSING_COMPLETED.topic(), id, bytes);
            }
            TrainingCompleted done = CODEC.decode(await(topics, EventType.TRAINING_COMPLETED, id, 1).get(0).value(),
                    TrainingCompleted.class);
            List<TrainingProgress> progress = await(topics, EventType.TRAINING_PROGRESS, id, 2).stream()
                    .map(r -> CODEC.decode(r.value(), TrainingProgress.class)).toList();
            assertThat(progress).extracting(TrainingProgress::epoch).containsExactly(0, 1);
            // three copies of the event, one claim: one TrainingStarted
            assertThat(await(topics, EventType.TRAINING_STARTED, id, 1)).hasSize(1);
            assertNoMore(topics, EventType.TRAINING_STARTED, id, 1);
            for (TrainingProgress p : progress) {
                assertThat(p.epochs()).isEqualTo(2);
                assertThat(p.metrics()).containsKeys("train_loss", "val_loss", "pseudo_dice/1", "pseudo_dice/2",
                        "mean_pseudo_dice", "ema_pseudo_dice", "lr", "epoch_time_s");
                assertThat(p.metrics().get("train_loss")).isNotNull();
                assertThat(p.metrics().get("epoch_time_s")).isPositive();
                assertThat(p.etaSeconds()).isNotNull();
            }
            // Poly LR: 1e-2 x (1 - e/2)^0.9.
            assertThat(progress.get(0).metrics().get("lr")).isEqualTo(1e-2);
            assertThat(progress.get(1).metrics().get("lr")).isCloseTo(1e-2 * Math.pow(0.5, 0.9),
                    org.assertj.core.api.Assertions.within(1e-12));

            assertThat(done.epochsRun()).isEqualTo(2);
            assertThat(done.earlyStopped()).isFalse();
            assertThat(done.device()).isEqualTo("cpu()");
            assertThat(done.wallTimeSeconds()).isPositive();
            assertThat(done.request().budget().epochs()).isEqualTo(2);
            assertThat(done.bestEmaPseudoDice()).isNotNull();
            assertThat(done.bestMetric().name()).isEqualTo("ema_pseudo_dice");
            assertThat(done.bestMetric().value()).isEqualTo(done.bestEmaPseudoDice());
            assertThat(done.finalMetrics()).containsKeys("train_loss", "ema_pseudo_dice");
            // the real final validation (gt_segmentations/ came with the preprocessed folder), not the pseudo-Dice
            assertThat(done.finalValidationDice()).isNotNull().isBetween(0.0, 1.0);
            assertThat(done.modelFolder()).endsWith("jobs/" + id + "/model/");
            assertThat(done.checkpoints().finalCheckpoint()).endsWith("jobs/" + id + "/model/fold_all/checkpoint_final.pth");
            assertThat(done.checkpoints().latest()).endsWith("fold_all/checkpoint_latest.pth");

            Path model = tmp.resolve(id);
            store.downloadPrefix("jobs/" + id + "/model/", model);
            NnUNetCheckpoint ckpt = NnUNetCheckpoint.read(model.resolve("fold_all/checkpoint_final.pth"));
            assertThat(ckpt.currentEpoch()).isEqualTo(2);
            assertThat(ckpt.canonicalWeights()).containsKey("encoder.stages.0.0.convs.0.conv.weight");
            for (String f : new String[] {"plans.json", "dataset.json", "fold_all/training_log.json",
                    "fold_all/progress.png", "fold_all/checkpoint_best.pth", "fold_all/validation/summary.json"}) {
                assertThat(model.resolve(f)).as(f).isRegularFile();
            }
            String logKey = "jobs/" + id + "/logs/worker-attempt-1.log";
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!store.exists(logKey) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(store.exists(logKey)).as(logKey).isTrue();
            JobState s = state(id);
            assertThat(s.status()).isEqualTo(JobState.Status.COMPLETED);
            assertThat(s.attempt()).isEqualTo(1);

            assertNoMore(topics, EventType.TRAINING_COMPLETED, id, 1);
            assertNoMore(topics, EventType.TRAINING_PROGRESS, id, 2);
            // Once more, after completion: still nothing.
            topics.publish(EventType.PREPROCESSING_COMPLETED.topic(), id, bytes);
            assertNoMore(topics, EventType.TRAINING_COMPLETED, id, 1);
        }
        // The engine self-check ran (a real child JVM) before the claim, once: every job here has the same plan shape.
        RestAssured.get("/q/health/ready").then().statusCode(200).body(containsString("trainer-leases"))
                .body(containsString("trainer-selfcheck")).body(containsString("features [4, 8, 16]"))
                .body(containsString("doctor: OK"));
        RestAssured.get("/q/metrics").then().statusCode(200).body(containsString("nnft_trainer_jobs_running"))
                .body(containsString("nnft_trainer_jobs_total{outcome=\"completed\"}"))
                .body(containsString("nnft_trainer_selfcheck_ok{plan="))
                .body(containsString("nnft_trainer_selfcheck_seconds{plan="))
                .body(containsString("nnft_trainer_selfcheck_runs_total{outcome=\"ok\"} 1.0"));
    }

    @Test
    void cancellationStopsTheWorkerAndKeepsTheLatestCheckpoint() {
        ObjectStore store = RealS3.store();
        String id = "train-cancel-1";
        try (Topics topics = new InMemoryTopics(connector)) {
            topics.publish(EventType.PREPROCESSING_COMPLETED.topic(), id, CODEC.encode(event(id, 500, null)));
            await(topics, EventType.TRAINING_PROGRESS, id, 1);
            topics.publish(EventType.JOB_CANCEL_REQUESTED.topic(), id,
                    CODEC.encode(new JobCancelRequested(id, "wrong dataset", null)));
            JobFailed failed = CODEC.decode(await(topics, EventType.JOB_FAILED, id, 1).get(0).value(), JobFailed.class);
            assertThat(failed.wasCancelled()).isTrue();
            assertThat(failed.stage()).isEqualTo(JobFailed.Stage.TRAINING);
            assertThat(failed.reason()).contains("wrong dataset");
            JobState s = state(id);
            assertThat(s.status()).isEqualTo(JobState.Status.CANCELLED);
            assertThat(s.lastEpoch()).isLessThan(499);
            assertThat(store.exists("jobs/" + id + "/model/fold_all/checkpoint_latest.pth")).isTrue();
            assertThat(store.exists("jobs/" + id + "/model/fold_all/checkpoint_final.pth")).isFalse();
            assertThat(jobs.workerPid(id)).isEmpty();
        }
    }

    @Test
    void aKilledWorkerIsResumedFromItsLatestCheckpointAndCompletesOnce() throws IOException, InterruptedException {
        ObjectStore store = RealS3.store();
        String id = "train-kill-1";
        try (Topics topics = new InMemoryTopics(connector)) {
            topics.publish(EventType.PREPROCESSING_COMPLETED.topic(), id, CODEC.encode(event(id, 5, null)));
            // Kill once epoch 1's checkpoint is in the bucket (the service records the epoch after uploading it).
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline && jobs.running().stream()
                    .noneMatch(j -> j.jobId().equals(id) && j.epoch() != null && j.epoch() >= 1)) {
                Thread.sleep(20);
            }
            OptionalLong pid = jobs.workerPid(id);
            assertThat(pid).as("worker of %s", id).isPresent();
            ProcessHandle.of(pid.getAsLong()).ifPresent(ProcessHandle::destroyForcibly); // SIGKILL
            TrainingCompleted done = CODEC.decode(await(topics, EventType.TRAINING_COMPLETED, id, 1).get(0).value(),
                    TrainingCompleted.class);
            assertThat(done.epochsRun()).isEqualTo(5);
            JobState s = state(id);
            assertThat(s.status()).isEqualTo(JobState.Status.COMPLETED);
            assertThat(s.attempt()).isEqualTo(2);
            assertThat(store.exists("jobs/" + id + "/logs/worker-attempt-2.log")).isTrue();
            String log2 = new String(store.getBytes("jobs/" + id + "/logs/worker-attempt-2.log"));
            assertThat(store.exists("jobs/" + id + "/claims/attempt-2.json")).isTrue();
            // The resumed attempt started where the killed one left its checkpoint, not at epoch 0.
            List<Integer> epochs = await(topics, EventType.TRAINING_PROGRESS, id, 5).stream()
                    .map(r -> CODEC.decode(r.value(), TrainingProgress.class).epoch()).toList();
            assertThat(epochs).containsSubsequence(0, 1).contains(4);
            assertThat(epochs.lastIndexOf(0)).as("epoch 0 trained once: %s; %s", epochs, log2).isEqualTo(0);
            // each attempt said it started
            assertThat(await(topics, EventType.TRAINING_STARTED, id, 2).stream()
                    .map(r -> CODEC.decode(r.value(), TrainingStarted.class).attempt())).containsExactly(1, 2);
            Path model = tmp.resolve(id);
            store.downloadPrefix("jobs/" + id + "/model/", model);
            assertThat(NnUNetCheckpoint.read(model.resolve("fold_all/checkpoint_final.pth")).currentEpoch()).isEqualTo(5);
            assertNoMore(topics, EventType.TRAINING_COMPLETED, id, 1);
        }
    }

    @Test
    void aJobWhoseOwnerDiedIsTakenOverAfterItsLease() {
        JobLedger ghost = new JobLedger(RealS3.store(), "ghost-trainer", Duration.ofSeconds(2), Clock.systemUTC());
        // The trainer's own scan may claim a freshly registered job before the ghost does; then try another id.
        String id = null;
        Claim dead = null;
        for (int i = 1; dead == null && i <= 5; i++) {
            id = "train-orphan-" + i;
            ghost.register(event(id, 2, null));
            dead = ghost.claimNext(id, false).orElse(null);
        }
        assertThat(dead).as("the ghost never won a claim against the running trainer").isNotNull();
        final String orphan = id;
        assertThat(dead.attempt()).isEqualTo(1);
        try (Topics topics = new InMemoryTopics(connector)) {
            // Nobody publishes anything: the trainer's periodic scan finds the expired lease.
            TrainingCompleted done = CODEC.decode(await(topics, EventType.TRAINING_COMPLETED, orphan, 1).get(0).value(),
                    TrainingCompleted.class);
            assertThat(done.epochsRun()).isEqualTo(2);
        }
        JobState s = state(orphan);
        assertThat(s.attempt()).isEqualTo(2);
        assertThat(s.owner()).isEqualTo(jobs.ledger().owner()).isNotEqualTo("ghost-trainer");
        assertThat(ghost.stillOwner(dead)).isFalse();
    }

    @Test
    void aRequestTheTrainerCannotRunFailsNamingTheField() {
        String id = "train-bad-1";
        try (Topics topics = new InMemoryTopics(connector)) {
            topics.publish(EventType.PREPROCESSING_COMPLETED.topic(), id, CODEC.encode(event(id, 2,
                    new FineTuneRequested.Optimizer(null, null, null, 0.5))));
            JobFailed failed = CODEC.decode(await(topics, EventType.JOB_FAILED, id, 1).get(0).value(), JobFailed.class);
            assertThat(failed.stage()).isEqualTo(JobFailed.Stage.TRAINING);
            assertThat(failed.retriable()).isFalse();
            assertThat(failed.reason()).contains("/optimizer/encoderLrFactor").contains("found 0.5");
        }
    }
}
