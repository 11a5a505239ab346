package io.nnft.classification;

import io.nnft.checkpoint.NnUNetCheckpoint;
import io.nnft.imageio.NdArray;
import io.nnft.training.StepDecorator;
import io.nnft.training.TrainingDivergedException;
import io.nnft.training.TrainingListener;
import io.nnft.training.TrainingResult;
import io.nnft.training.data.Batch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiPredicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * As for segmentation: NaN batches through {@link StepDecorator} make the real step's loss NaN; one such step is
 * skipped and training completes, NaN from some iteration on stops the run as diverged with checkpoint_best finite,
 * no checkpoint_final and checkpoint_latest the last good epoch's (resumable).
 */
class ClassificationDivergenceTest {
    @TempDir
    static Path tmp;
    static Path pre;

    @BeforeAll
    static void data() throws Exception {
        pre = ClassificationFixtures.preprocessed(tmp.resolve("pre"), 12, 8, 3);
    }

    private static ClassificationInputs inputs(String out) {
        return ClassificationInputs.of(pre, ClassificationFixtures.demoPlans(), "3d_fullres", "0",
                pre.resolve("classification.csv"), tmp.resolve(out)).withSplitsFile(pre.resolve("splits_final.json"))
                .withPretrained(ClassificationFixtures.DEMO_MODEL);
    }

    private static ClassificationSettings tiny(int epochs) {
        return new ClassificationSettings().epochs(epochs).iterationsPerEpoch(3).batchSize(2).seed(5L).dataThreads(1)
                .head(new HeadSettings(HeadSettings.Pooling.AVG, List.of(2), 0.2, List.of(8)));
    }

    static StepDecorator nanWhen(BiPredicate<Integer, Integer> when) {
        return (epoch, iteration, b) -> {
            if (!when.test(epoch, iteration)) {
                return b;
            }
            float[] nan = new float[(int) b.data().size()];
            Arrays.fill(nan, Float.NaN);
            return new Batch(b.index(), NdArray.ofFloats(b.data().shape(), nan), b.targets());
        };
    }

    @Test
    void aSingleNaNStepIsSkippedAndTrainingCompletes() throws Exception {
        List<String> messages = new ArrayList<>();
        TrainingResult<ClassificationEpochRecord> r = ClassificationTask.train(inputs("transient"), tiny(2), messages(messages),
                nanWhen((e, i) -> e == 1 && i == 1));
        assertThat(r.stopReason()).isEqualTo("completed");
        assertThat(r.skippedSteps()).isEqualTo(1);
        assertThat(messages).filteredOn(m -> m.contains("step skipped")).singleElement().asString()
                .startsWith("epoch 1, iteration 1: loss NaN");
        assertThat(r.log()).allMatch(e -> Double.isFinite(e.trainLoss()) && Double.isFinite(e.valLoss()));
    }

    @Test
    void nanFromEpochOneOnStopsTheRunAndKeepsTheLastGoodCheckpoint() throws Exception {
        Path fold = tmp.resolve("diverged/fold_0");
        List<String> messages = new ArrayList<>();
        // epoch 1 iterations 1, 2 and epoch 2 iteration 0: three NaN steps in a row
        assertThatThrownBy(() -> ClassificationTask.train(inputs("diverged"), tiny(4).maxSkippedSteps(3),
                messages(messages), nanWhen((e, i) -> e * 3 + i >= 4)))
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessage("training diverged at epoch 2, iteration 0: loss NaN");
        assertThat(messages).filteredOn(m -> m.contains("step skipped")).hasSize(2);
        assertThat(fold.resolve("checkpoint_final.pth")).doesNotExist();
        NnUNetCheckpoint latest = NnUNetCheckpoint.read(fold.resolve("checkpoint_latest.pth"));
        assertThat(latest.currentEpoch()).isEqualTo(2);
        assertThat(finite(latest)).isTrue();
        NnUNetCheckpoint best = NnUNetCheckpoint.read(fold.resolve("checkpoint_best.pth"));
        assertThat(finite(best)).isTrue();
        assertThat(Files.readString(fold.resolve("training_log.json"))).contains("diverged");

        TrainingResult<ClassificationEpochRecord> resumed = ClassificationTask.train(inputs("diverged").withResume(true), tiny(4),
                TrainingListener.NONE);
        assertThat(resumed.stopReason()).isEqualTo("completed");
        assertThat(resumed.epochsRun()).isEqualTo(2);
    }

    private static TrainingListener messages(List<String> into) {
        return new TrainingListener() {
            @Override
            public void message(String text) {
                into.add(text);
            }
        };
    }

    private static boolean finite(NnUNetCheckpoint c) {
        for (NdArray a : c.canonicalWeights().values()) {
            for (float v : a.toFloats()) {
                if (!Float.isFinite(v)) {
                    return false;
                }
            }
        }
        return true;
    }
}
