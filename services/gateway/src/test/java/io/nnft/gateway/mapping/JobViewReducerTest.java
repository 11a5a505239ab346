package io.nnft.gateway.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import io.nnft.events.EncoderExported;
import io.nnft.events.FineTuneRequested;
import io.nnft.events.JobCancelRequested;
import io.nnft.events.JobFailed;
import io.nnft.events.NnftEvent;
import io.nnft.events.Problem;
import io.nnft.events.PreprocessingCompleted;
import io.nnft.events.TrainingProgress;
import io.nnft.events.TrainingStarted;
import io.nnft.gateway.JobStage;
import io.nnft.gateway.JobView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The job view folds events forward only, whatever order and how often they arrive. */
class JobViewReducerTest {
    private static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");

    private static JobView fold(NnftEvent... events) {
        JobView v = null;
        for (int i = 0; i < events.length; i++) {
            v = JobViewReducer.apply(v, events[i], T0.plusSeconds(i));
        }
        return v;
    }

    private static FineTuneRequested request(String id) {
        return FineTuneRequested.of("datasets/Dataset002_Heart/").withJobId(id).withDefaults();
    }

    private static TrainingProgress progress(String id, int epoch, double dice) {
        return new TrainingProgress(id, epoch, 5, Map.of("ema_pseudo_dice", dice), 10.0 * (4 - epoch));
    }

    @Test
    void progressAndExportMoveTheJobForward() {
        JobView v = fold(request("j1"), progress("j1", 0, 0.1), progress("j1", 1, 0.3));
        assertThat(v.stage()).isEqualTo(JobStage.TRAINING);
        assertThat(v.epoch()).isEqualTo(1);
        assertThat(v.epochs()).isEqualTo(5);
        assertThat(v.metrics()).containsEntry("ema_pseudo_dice", 0.3);
        assertThat(v.dataset()).isEqualTo("datasets/Dataset002_Heart/");
        assertThat(v.createdAt()).isEqualTo(T0);
        assertThat(v.finishedAt()).isNull();

        JobView exported = JobViewReducer.apply(v, new EncoderExported("j1", null, null, null, "nnft",
                "jobs/j1/export/", List.of(new EncoderExported.Artifact("encoder.safetensors",
                        "jobs/j1/export/encoder.safetensors", null, "ab", 12L)), null), T0.plusSeconds(60));
        assertThat(exported.stage()).isEqualTo(JobStage.EXPORTED);
        assertThat(exported.finishedAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(exported.artifacts()).extracting(EncoderExported.Artifact::name).containsExactly("encoder.safetensors");
    }

    @Test
    void aClaimedJobIsTrainingBeforeItsFirstEpochEnds() {
        JobView v = fold(request("j5"), new PreprocessingCompleted("j5", null, null, null, null, null, null, null,
                null, null), new TrainingStarted("j5", 1, "nnft-trainer-0", 7));
        assertThat(v.stage()).isEqualTo(JobStage.TRAINING);
        assertThat(v.epoch()).as("no epoch has ended").isNull();
        assertThat(v.epochs()).isEqualTo(7);
        // a resumed attempt after the job finished (a late record) never moves it back
        JobView done = JobViewReducer.apply(fold(request("j6"), new JobFailed("j6", JobFailed.Stage.TRAINING, "x", false,
                null, null, null, null)), new TrainingStarted("j6", 2, "nnft-trainer-1", 7), T0.plusSeconds(9));
        assertThat(done.stage()).isEqualTo(JobStage.FAILED);
    }

    @Test
    void lateAndReplayedEventsNeverMoveTheJobBack() {
        JobView v = fold(progress("j2", 3, 0.5), request("j2"), progress("j2", 1, 0.2));
        assertThat(v.stage()).isEqualTo(JobStage.TRAINING);
        assertThat(v.epoch()).isEqualTo(3);
        assertThat(v.metrics()).containsEntry("ema_pseudo_dice", 0.5);
        // the request's details still arrive when it is read after later events
        assertThat(v.dataset()).isEqualTo("datasets/Dataset002_Heart/");

        JobView failed = JobViewReducer.apply(v, JobFailed.of("j2", JobFailed.Stage.TRAINING, "out of memory", true),
                T0.plusSeconds(9));
        JobView replayed = JobViewReducer.apply(failed, request("j2"), T0.plusSeconds(20));
        replayed = JobViewReducer.apply(replayed, progress("j2", 0, 0.1), T0.plusSeconds(21));
        assertThat(replayed.stage()).isEqualTo(JobStage.FAILED);
        assertThat(replayed.epoch()).isEqualTo(3);
        assertThat(replayed.failure().reason()).isEqualTo("out of memory");
        assertThat(replayed.failure().stage()).isEqualTo(JobFailed.Stage.TRAINING);
        assertThat(replayed.finishedAt()).isEqualTo(T0.plusSeconds(9));
    }

    @Test
    void failureKeepsTheProblemsNamingTheField() {
        Problem p = new Problem("/data/budget/epochs", "an integer >= 1", "0");
        JobView v = fold(request("j3"), new JobFailed("j3", JobFailed.Stage.PLANNING, "bad request", false,
                List.of(p), null, "nnft.FineTuneRequested.v1", null));
        assertThat(v.stage()).isEqualTo(JobStage.FAILED);
        assertThat(v.failure().problems()).containsExactly(p);
        assertThat(v.failure().eventType()).isEqualTo("nnft.FineTuneRequested.v1");
    }

    @Test
    void cancelEndsARunningJobButNotAFinishedOne() {
        JobView running = fold(request("j4"), progress("j4", 0, 0.1), new JobCancelRequested("j4", "wrong data", null),
                progress("j4", 1, 0.2));
        assertThat(running.stage()).isEqualTo(JobStage.CANCELLED);
        assertThat(running.cancelRequested()).isTrue();
        assertThat(running.failure().reason()).isEqualTo("cancelled: wrong data");
        assertThat(running.epoch()).isEqualTo(1);

        JobView failed = fold(request("j5"), JobFailed.of("j5", JobFailed.Stage.EXPORT, "disk full", true),
                new JobCancelRequested("j5", null, true));
        assertThat(failed.stage()).isEqualTo(JobStage.FAILED);
        assertThat(failed.failure().reason()).isEqualTo("disk full");
        assertThat(failed.cancelRequested()).isTrue();
    }

    @Test
    void stagesHaveLowercaseWireNames() {
        assertThat(JobStage.PREPROCESSED.wireName()).isEqualTo("preprocessed");
        assertThat(JobStage.parse("cancelled")).isEqualTo(JobStage.CANCELLED);
    }

    @Test
    void theFirstTraceLearntIsTheJobsTrace() {
        String posted = "4bf92f3577b34da6a3ce929d0e0e4736";
        JobView v = JobViewReducer.apply(null, request("j9"), T0, null);
        assertThat(v.traceId()).as("a record without traceparent names no trace").isNull();
        v = JobViewReducer.apply(v, progress("j9", 0, 0.1), T0.plusSeconds(1), posted);
        // a later record in another trace (a request republished with its own context) does not move the job
        v = JobViewReducer.apply(v, progress("j9", 1, 0.2), T0.plusSeconds(2), "0af7651916cd43dd8448eb211c80319c");
        v = JobViewReducer.apply(v, progress("j9", 2, 0.3), T0.plusSeconds(3));
        assertThat(v.traceId()).isEqualTo(posted);
        assertThat(v.withIntermediatesExpiredAt(T0.plusSeconds(9)).traceId()).isEqualTo(posted);
    }
}
