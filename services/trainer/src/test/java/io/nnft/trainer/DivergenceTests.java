package io.nnft.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nnft.checkpoint.NnUNetCheckpoint;
import io.nnft.events.EventCodec;
import io.nnft.events.EventType;
import io.nnft.events.JobFailed;
import io.nnft.events.TrainingProgress;
import io.nnft.services.testing.RealKafkaAndS3;
import io.nnft.services.testing.TopicClient;
import io.nnft.storage.ObjectStore;
import io.nnft.trainer.service.DivergingWorkerLauncher;
import io.nnft.trainer.service.JobLedger;
import io.nnft.trainer.service.JobState;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A diverging worker (the real worker JVM, its batches NaN from epoch 1, iteration 1 on; see
 * {@link DivergingWorkerLauncher}) over the real broker and S3 server: progress for the good epochs, then exactly
 * one non-retriable {@code JobFailed} whose reason says where it diverged, never a {@code TrainingCompleted}, and
 * the bucket keeps the last good checkpoint_latest.pth and no checkpoint_final.pth.
 */
@QuarkusTest
@QuarkusTestResource(RealKafkaAndS3.class)
@TestProfile(DivergenceTests.DivergingWorker.class)
class DivergenceTests {
    private static final EventCodec CODEC = new EventCodec("/nnft/test");
    private static final Duration WAIT = Duration.ofSeconds(150);
    private static final String PRE = "fixtures/synthetic/preprocessed/3d_fullres/";

    @TempDir
    static Path tmp;

    /** The diverging worker, and 3 skipped steps in a row (nnft.trainer.max-skipped-steps) end a run. */
    public static final class DivergingWorker implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(DivergingWorkerLauncher.class);
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("nnft.trainer.max-skipped-steps", "3");
        }
    }

    @BeforeAll
    static void upload() throws IOException {
        RealKafkaAndS3.store().uploadDirectory(TestData.preprocessed(tmp.resolve("pre")), PRE);
    }

    @Test
    void aDivergedRunFailsOnceNotRetriableAndNeverCompletes() throws IOException {
        ObjectStore store = RealKafkaAndS3.store();
        String id = "train-diverge-1";
        try (TopicClient topics = new TopicClient(RealKafkaAndS3.bootstrapServers())) {
            // 2 iterations per epoch: epoch 1 skips iteration 1 and still ends with a finite loss; epoch 2's two
            // NaN steps are the 2nd and 3rd in a row
            topics.publish(EventType.PREPROCESSING_COMPLETED.topic(), id, CODEC.encode(TrainerTests.event(id, 5, null)));
            JobFailed failed = CODEC.decode(await(topics, EventType.JOB_FAILED, id, 1, WAIT).get(0).value(),
                    JobFailed.class);
            assertThat(failed.reason()).isEqualTo("training diverged at epoch 2, iteration 1: loss NaN");
            assertThat(failed.stage()).isEqualTo(JobFailed.Stage.TRAINING);
            assertThat(failed.retriable()).isFalse();
            assertThat(failed.wasCancelled()).isFalse();
            List<Integer> epochs = await(topics, EventType.TRAINING_PROGRESS, id, 2, WAIT).stream()
                    .map(r -> CODEC.decode(r.value(), TrainingProgress.class).epoch()).toList();
            assertThat(epochs).containsExactly(0, 1);

            assertThatThrownBy(() -> await(topics, EventType.TRAINING_COMPLETED, id, 1, Duration.ofSeconds(4)))
                    .as("a TrainingCompleted for a diverged job").isInstanceOf(AssertionError.class);
            assertThatThrownBy(() -> await(topics, EventType.JOB_FAILED, id, 2, Duration.ofSeconds(4)))
                    .as("a second JobFailed").isInstanceOf(AssertionError.class);

            JobState s = new JobLedger(store, "probe", Duration.ofMinutes(1), Clock.systemUTC()).read(id).orElseThrow();
            assertThat(s.status()).isEqualTo(JobState.Status.FAILED);
            assertThat(s.attempt()).as("not retried").isEqualTo(1);
            assertThat(s.reason()).isEqualTo(failed.reason());
            assertThat(store.exists("jobs/" + id + "/model/fold_all/checkpoint_final.pth")).isFalse();
            Path model = tmp.resolve(id);
            store.downloadPrefix("jobs/" + id + "/model/", model);
            assertThat(NnUNetCheckpoint.read(model.resolve("fold_all/checkpoint_latest.pth")).currentEpoch())
                    .as("the last good epoch's checkpoint").isEqualTo(2);
            assertThat(model.resolve("fold_all/training_log.json")).content().contains("\"stop_reason\" : \"diverged\"");
        }
    }

    private static List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> await(TopicClient topics,
            EventType type, String jobId, int n, Duration wait) {
        return topics.await(type.topic(), r -> jobId.equals(r.key()), n, wait);
    }
}
