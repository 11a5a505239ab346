package io.nnft.training;

import io.nnft.checkpoint.NnUNetCheckpoint;
import io.nnft.imageio.NdArray;
import io.nnft.training.data.Batch;
import io.nnft.training.synth.SyntheticTask;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * NaN injected through {@link StepDecorator} (the real step sees a NaN batch): a single NaN step is skipped and
 * training completes; NaN from some iteration on stops the run as diverged, with checkpoint_best finite, no
 * checkpoint_final, and checkpoint_latest the last good epoch's, from which a resume completes.
 */
class DivergenceTest {
    @TempDir
    static Path tmp;
    private static Path data;

    @BeforeAll
    static void data() throws Exception {
        data = SyntheticFolders.write(tmp.resolve("pre"), SyntheticTask.A, 3, 3, SyntheticFolders.SLIM);
    }

    /** Replaces the batch of every (epoch, iteration) that {@code when} selects by one full of NaN. */
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
        Path out = tmp.resolve("transient");
        List<String> messages = new ArrayList<>();
        TrainingResult<EpochRecord> r = Trainer.train(SyntheticFolders.inputs(data, out, "all"),
                SyntheticFolders.small(2, 3).finalValidation(false), listener(messages, null), nanWhen((e, i) -> e == 1 && i == 1));
        assertThat(r.stopReason()).isEqualTo("completed");
        assertThat(r.skippedSteps()).isEqualTo(1);
        assertThat(messages).filteredOn(m -> m.contains("step skipped"))
                .containsExactly("epoch 1, iteration 1: loss NaN, grad norm NaN: step skipped, weights unchanged "
                        + "(1 in a row, the run stops at 5)");
        assertThat(r.log()).hasSize(2).allMatch(e -> Double.isFinite(e.trainLoss()) && Double.isFinite(e.valLoss()));
        assertThat(finite(NnUNetCheckpoint.read(out.resolve("fold_all/checkpoint_final.pth")))).isTrue();
    }

    @Test
    void nanFromEpochOneOnStopsTheRunAndKeepsTheLastGoodCheckpoint() throws Exception {
        Path out = tmp.resolve("diverged");
        Path fold = out.resolve("fold_all");
        List<String> messages = new ArrayList<>();
        byte[][] latestAfterEpoch1 = new byte[1][];
        // epoch 0: 3 good steps; epoch 1: iteration 0 good, 1 and 2 NaN (skipped, the epoch still ends with a finite
        // mean); epoch 2: iteration 0 is the 3rd NaN in a row
        TrainingSettings s = SyntheticFolders.small(4, 3).maxSkippedSteps(3);
        assertThatThrownBy(() -> Trainer.train(SyntheticFolders.inputs(data, out, "all"), s,
                listener(messages, e -> {
                    if (e.epoch() == 1) {
                        latestAfterEpoch1[0] = read(fold.resolve(FoldFolder.LATEST));
                    }
                }), nanWhen((e, i) -> e * 3 + i >= 4)))
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessage("training diverged at epoch 2, iteration 0: loss NaN");
        assertThat(messages).filteredOn(m -> m.contains("step skipped")).hasSize(2);
        assertThat(messages).anyMatch(m -> m.startsWith("training diverged at epoch 2, iteration 0: loss NaN (3 steps "
                + "skipped)"));

        assertThat(fold.resolve("checkpoint_final.pth")).doesNotExist();
        assertThat(read(fold.resolve(FoldFolder.LATEST))).as("checkpoint_latest untouched since epoch 1")
                .isEqualTo(latestAfterEpoch1[0]);
        NnUNetCheckpoint latest = NnUNetCheckpoint.read(fold.resolve(FoldFolder.LATEST));
        assertThat(latest.currentEpoch()).isEqualTo(2);
        assertThat(finite(latest)).isTrue();
        NnUNetCheckpoint best = NnUNetCheckpoint.read(fold.resolve("checkpoint_best.pth"));
        assertThat(finite(best)).isTrue();
        assertThat(best.bestEma()).isNotNull().isNotNaN();
        assertThat(Files.readString(fold.resolve("training_log.json"))).contains("\"stop_reason\" : \"diverged\"");

        // the last good state is resumable: without the fault the run completes from epoch 2
        TrainingResult<EpochRecord> resumed = Trainer.train(SyntheticFolders.inputs(data, out, "all").withResume(true),
                SyntheticFolders.small(4, 3).maxSkippedSteps(3).finalValidation(false), TrainingListener.NONE);
        assertThat(resumed.stopReason()).isEqualTo("completed");
        assertThat(resumed.epochsRun()).isEqualTo(2);
        assertThat(resumed.log()).hasSize(4);
        assertThat(resumed.skippedSteps()).isZero();
    }

    private static TrainingListener listener(List<String> messages, java.util.function.Consumer<EpochRecord> ended) {
        return new TrainingListener() {
            @Override
            public void message(String text) {
                messages.add(text);
            }

            @Override
            public void epochEnded(EpochSummary summary, java.util.List<String> classes, int epochs, double etaSeconds) {
                EpochRecord record = (EpochRecord) summary;
                if (ended != null) {
                    ended.accept(record);
                }
            }
        };
    }

    private static boolean finite(NnUNetCheckpoint c) {
        for (Map.Entry<String, NdArray> e : c.canonicalWeights().entrySet()) {
            for (float v : e.getValue().toFloats()) {
                if (!Float.isFinite(v)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
