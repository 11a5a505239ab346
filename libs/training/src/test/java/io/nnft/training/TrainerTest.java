package io.nnft.training;

import io.nnft.checkpoint.NnUNetCheckpoint;
import io.nnft.training.synth.SyntheticTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TrainerTest {
    @Test
    void tinyTrainingLowersTheLossAndWritesAnNnUNetModelFolder(@TempDir Path tmp) throws Exception {
        Path data = SyntheticFolders.write(tmp.resolve("pre"), SyntheticTask.A, 4, 1, SyntheticFolders.SLIM);
        Path out = tmp.resolve("model");
        List<String> messages = new ArrayList<>();
        List<Integer> reports = new ArrayList<>();
        TrainingListener l = new TrainingListener() {
            @Override
            public void message(String text) {
                messages.add(text);
            }

            @Override
            public void parameterReport(int epoch, List<io.nnft.network.ParameterReport.Row> rows) {
                reports.add(rows.size());
            }
        };
        TrainingResult<EpochRecord> r = Trainer.train(SyntheticFolders.inputs(data, out, "all"),
                SyntheticFolders.small(4, 12).initialLr(0.02), l);
        assertThat(r.stopReason()).isEqualTo("completed");
        assertThat(r.log()).hasSize(4);
        double first = r.log().get(0).trainLoss();
        double last = r.log().get(3).trainLoss();
        System.out.printf("tiny training: train loss %.4f -> %.4f, EMA pseudo-Dice %.4f%n", first, last,
                r.log().get(3).emaPseudoDice());
        assertThat(last).isLessThan(first);
        assertThat(messages).anyMatch(m -> m.contains("shorter schedules usually cost Dice"));
        assertThat(reports).hasSize(1);
        for (String f : List.of("plans.json", "dataset.json", "fold_all/checkpoint_final.pth", "fold_all/checkpoint_best.pth",
                "fold_all/checkpoint_latest.pth", "fold_all/training_log.json", "fold_all/progress.png")) {
            assertThat(out.resolve(f)).isRegularFile();
        }
        NnUNetCheckpoint c = NnUNetCheckpoint.read(out.resolve("fold_all/checkpoint_final.pth"));
        assertThat(c.currentEpoch()).isEqualTo(4);
        assertThat(c.trainerName()).isEqualTo("nnUNetTrainer");
        assertThat(c.configuration()).isEqualTo("3d_fullres");
        assertThat(c.fold()).isEqualTo("all");
        assertThat(c.logging().series("train_losses")).hasSize(4);
        assertThat(c.logging().series("train_losses").get(0)).isCloseTo(first, within(1e-6));
        assertThat(c.optimizerState().momentumBuffers()).isNotEmpty();
        assertThat(c.networkWeights()).containsKey("decoder.encoder.stages.0.0.convs.0.all_modules.0.weight");
        // EMA: 0.9 · previous + 0.1 · current
        EpochRecord e1 = r.log().get(1);
        assertThat(e1.emaPseudoDice()).isCloseTo(0.9 * r.log().get(0).emaPseudoDice() + 0.1 * e1.meanPseudoDice(),
                within(1e-12));
        // poly LR
        assertThat(r.log().get(2).lr()).isCloseTo(0.02 * Math.pow(0.5, 0.9), within(1e-12));
        assertThat(Files.readString(out.resolve("fold_all/training_log.json"))).contains("\"stop_reason\" : \"completed\"");
    }

    @Test
    void earlyStoppingTriggersOnAPlateau(@TempDir Path tmp) throws Exception {
        Path data = SyntheticFolders.write(tmp.resolve("pre"), SyntheticTask.A, 3, 2, SyntheticFolders.SLIM);
        Path out = tmp.resolve("model");
        // LR 1e-7: the network does not move, the EMA plateaus; min delta 0.01 can never be met after epoch 0
        TrainingResult<EpochRecord> r = Trainer.train(SyntheticFolders.inputs(data, out, "all"),
                SyntheticFolders.small(20, 2).initialLr(1e-7).patience(3).minDelta(0.01), TrainingListener.NONE);
        assertThat(r.stopReason()).isEqualTo("early_stopping");
        assertThat(r.log()).hasSize(4);
        assertThat(out.resolve("fold_all/checkpoint_final.pth")).isRegularFile();
        assertThat(out.resolve("fold_all/checkpoint_best.pth")).isRegularFile();
        assertThat(Files.readString(out.resolve("fold_all/training_log.json"))).contains("early_stopping");
    }
}
