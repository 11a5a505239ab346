package io.nnft.training;

import io.nnft.training.synth.SyntheticDatasetWriter;
import io.nnft.training.synth.SyntheticGenerator;
import io.nnft.training.synth.SyntheticTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * From scratch on task A (spheres vs rods, same intensity 1.5–2 in N(0, 1) noise: SNR ≤ 2), nnU-Net's default
 * augmentation, held-out validation cases (fold 0 of nnU-Net's 5-fold split): the EMA pseudo-Dice passes 0.8.
 * Training stops as soon as the claim holds: with nnU-Net's augmentation that was after 32–55 epochs of 20
 * iterations for four data/training seed pairs (40–90 s on the shared 2-core CI box); the 160-epoch budget is
 * headroom, not the expected cost.
 */
class FromScratchDiceTest {
    @Test
    void sameIntensityShapeDifferentClassesAreLearned(@TempDir Path tmp) throws Exception {
        SyntheticGenerator g = new SyntheticGenerator(SyntheticTask.A, new int[] {32, 32, 32}, 1.0, 3);
        Path data = tmp.resolve("pre");
        SyntheticDatasetWriter.writePreprocessed(data, SyntheticTask.A, SyntheticDatasetWriter.cases(g, 20),
                new int[] {16, 16, 16}, new int[] {16, 32, 64}, 2);
        TrainingResult<EpochRecord> r = Trainer.train(TrainingInputs.of(data, data.resolve("nnUNetPlans.json"), "3d_fullres", "0",
                        tmp.resolve("model")),
                new TrainingSettings().epochs(160).iterationsPerEpoch(20).validationIterations(5).seed(1L)
                        .deterministic(true).dataThreads(1), new TrainingListener() {
                    private boolean reached;

                    @Override
                    public void epochEnded(EpochSummary summary, java.util.List<String> classes, int epochs, double eta) {
                        EpochRecord rec = (EpochRecord) summary;
                        reached |= rec.emaPseudoDice() > 0.8;
                        System.out.printf("epoch %d: EMA %.4f%n", rec.epoch(), rec.emaPseudoDice());
                    }

                    @Override
                    public boolean cancelRequested() {
                        return reached; // the claim is made: no need to spend the rest of the budget
                    }
                });
        EpochRecord last = r.log().get(r.log().size() - 1);
        System.out.printf("from scratch: best EMA pseudo-Dice %.4f at epoch %d, last %s%n", r.bestEma(), r.bestEpoch(),
                java.util.Arrays.toString(last.pseudoDice()));
        assertThat(r.bestEma()).isGreaterThan(0.8);
    }
}
