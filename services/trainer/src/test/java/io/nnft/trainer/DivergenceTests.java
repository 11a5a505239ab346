package io.nnft.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nnft.checkpoint.NnUNetCheckpoint;
import io.nnft.events.EventCodec;
import io.nnft.events.EventType;
import io.nnft.events.JobFailed;
import io.nnft.events.TrainingProgress;
import io.nnft.services.testing.InMemoryTopics;
import io.nnft.services.testing.RealS3;
import io.nnft.services.testing.Topics;
import io.nnft.storage.ObjectStore;
import io.nnft.trainer.service.DivergingWorkerLauncher;
import io.nnft.trainer.service.JobLedger;
import io.nnft.trainer.service.JobState;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
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
 * {@link DivergingWorkerLauncher}) on in-memory channels and a real S3 server: progress for the good epochs, then
 * exactly one non-retriable {@code JobFailed} whose reason says where it diverged, never a {@code TrainingCompleted},
 * and the bucket keeps the last good checkpoint_latest.pth and no checkpoint_final.pth.
 */
@QuarkusTest
@WithTestResource(TrainerChannels.class)
@TestProfile(DivergenceTests.DivergingWorker.class)
class DivergenceTests {
    private static final EventCodec CODEC = new EventCodec("/nnft/test");
    private static final Duration WAIT = Duration.ofSeconds(150);
    private static final String PRE = "fixtures/synthetic/preprocessed/3d_fullres/";

    @TempDir
    static Path tmp;

    @Inject
    @Any
    InMemoryConnector connector;

    /** The diverging worker, and 3 skipped steps in a row (nnft.trainer.max-skipped-steps) end a run. */
    public static final class DivergingWorker implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(DivergingWorkerLauncher.class);
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            // The engine self-check has its own tests (TrainerTests train with it on); here it would only add a
            // machine-dependent step before the claim that this test is not about.
            return Map.of("nnft.trainer.max-skipped-steps", "3", "nnft.trainer.selfcheck.enabled", "false");
        }
    }

    @BeforeAll
    static void upload() throws IOException {
        RealS3.store().uploadDirectory(TestData.preprocessed(tmp.resolve("pre")), PRE);
    }

    @Test
    void aDivergedRunFailsOnceNotRetriableAndNeverCompletes() throws IOException {
        ObjectStore store = RealS3.store();
        String id = "train-diverge-1";
        try (Topics topics = new InMemoryTopics(connector)) {
            // 2 iterations per epoch: epoch 1 skips iteration 1 and still ends with a finite loss; epoch 2's two
            // NaN steps are the 2nd and 3rd in a row
            topics.publish(EventType.PREPROCESSING_COMPLETED.topic(), id, CODEC.encode(TrainerTests.event(id, 5, null)));
            JobFailed failed = CODEC.decode(awaitExplained(topics, EventType.JOB_FAILED, id, store).get(0).value(),
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

            JobState s = TrainerTests.state(id);
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

    /** As {@link #await} for one record; when none comes, the failure says where the job got stuck. */
    private static List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> awaitExplained(
            Topics topics, EventType type, String jobId, ObjectStore store) {
        try {
            return await(topics, type, jobId, 1, WAIT);
        } catch (AssertionError e) {
            StringBuilder why = new StringBuilder(e.getMessage());
            try {
                why.append("\nledger: ").append(new JobLedger(store, "probe", Duration.ofMinutes(1), Clock.systemUTC())
                        .read(jobId).map(Object::toString).orElse("no entry"));
                why.append("\nobjects: ").append(store.list("jobs/" + jobId + "/"));
            } catch (RuntimeException x) {
                why.append("\n(ledger unreadable: ").append(x).append(')');
            }
            Path work = Path.of(System.getProperty("java.io.tmpdir"), "nnft-trainer-test", jobId);
            try (java.util.stream.Stream<Path> logs = Files.exists(work) ? Files.list(work) : java.util.stream.Stream.empty()) {
                for (Path log : logs.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
                    List<String> lines = Files.readAllLines(log);
                    why.append("\n").append(log.getFileName()).append(" (last lines): ")
                            .append(String.join("\n  ", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
                }
            } catch (IOException x) {
                why.append("\n(worker logs unreadable: ").append(x).append(')');
            }
            throw new AssertionError(why.toString(), e);
        }
    }

    private static List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> await(Topics topics,
            EventType type, String jobId, int n, Duration wait) {
        return topics.await(type.topic(), r -> jobId.equals(r.key()), n, wait);
    }
}
