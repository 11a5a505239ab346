package io.nnft.training;

import io.nnft.checkpoint.NnUNetCheckpoint;
import io.nnft.imageio.NdArray;
import io.nnft.training.synth.SyntheticTask;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Resume (same losses as uninterrupted), freezing schedules, pretrained starts, corrupt checkpoints. */
class ResumeFreezeTest {
    @TempDir
    static Path tmp;
    static Path data;
    static TrainingResult<EpochRecord> uninterrupted;

    static TrainingSettings settings() {
        return SyntheticFolders.small(4, 3);
    }

    @BeforeAll
    static void trainUninterrupted() throws Exception {
        data = SyntheticFolders.write(tmp.resolve("pre"), SyntheticTask.A, 3, 3, SyntheticFolders.SLIM);
        uninterrupted = Trainer.train(SyntheticFolders.inputs(data, tmp.resolve("full"), "all"), settings(),
                TrainingListener.NONE);
    }

    @Test
    void resumeAfterEpochTwoGivesTheSameLossesAsNotStopping() throws Exception {
        Path out = tmp.resolve("interrupted");
        TrainingResult<EpochRecord> first = Trainer.train(SyntheticFolders.inputs(data, out, "all"), settings(), new TrainingListener() {
            int epoch;

            @Override
            public void epochStarted(int e, int epochs, int iterations) {
                epoch = e;
            }

            @Override
            public boolean cancelRequested() {
                return epoch == 2;
            }
        });
        assertThat(first.stopReason()).isEqualTo("cancelled");
        assertThat(NnUNetCheckpoint.read(out.resolve("fold_all/checkpoint_latest.pth")).currentEpoch()).isEqualTo(2);
        TrainingResult<EpochRecord> resumed = Trainer.train(SyntheticFolders.inputs(data, out, "all").withResume(true), settings(),
                TrainingListener.NONE);
        assertThat(resumed.log()).hasSize(4);
        assertThat(resumed.epochsRun()).isEqualTo(2);
        for (int e = 0; e < 4; e++) {
            EpochRecord a = uninterrupted.log().get(e);
            EpochRecord b = resumed.log().get(e);
            System.out.printf("epoch %d: train %.7f vs %.7f, val %.7f vs %.7f%n", e, a.trainLoss(), b.trainLoss(),
                    a.valLoss(), b.valLoss());
            assertThat(b.trainLoss()).isCloseTo(a.trainLoss(), within(1e-4));
            assertThat(b.valLoss()).isCloseTo(a.valLoss(), within(1e-4));
            assertThat(b.emaPseudoDice()).isCloseTo(a.emaPseudoDice(), within(1e-4));
        }
    }

    @Test
    void frozenWeightsStayBitIdenticalUntilUnfrozen() throws Exception {
        Path pretrained = tmp.resolve("full/fold_all/checkpoint_final.pth");
        Map<String, NdArray> start = NnUNetCheckpoint.read(pretrained).canonicalWeights();
        Path out = tmp.resolve("frozen");
        List<Map<String, NdArray>> afterEpoch = new ArrayList<>();
        List<Integer> reports = new ArrayList<>();
        TrainingSettings s = SyntheticFolders.small(3, 2).freeze(new FreezeSettings("encoder", false,
                List.of(new UnfreezeStep(1, List.of(""), 0.5, 0))));
        Trainer.train(SyntheticFolders.inputs(data, out, "all").withPretrained(tmp.resolve("full")), s,
                new TrainingListener() {
                    @Override
                    public void parameterReport(int epoch, List<io.nnft.network.ParameterReport.Row> rows) {
                        reports.add((int) rows.stream().filter(io.nnft.network.ParameterReport.Row::trainable).count());
                    }

                    @Override
                    public void epochEnded(EpochSummary summary, java.util.List<String> classes, int epochs, double eta) {
                        EpochRecord r = (EpochRecord) summary;
                        try {
                            if (r.epoch() < 2) {
                                afterEpoch.add(new LinkedHashMap<>(NnUNetCheckpoint.read(
                                        out.resolve("fold_all/checkpoint_latest.pth")).canonicalWeights()));
                            }
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                });
        int encoderTensors = 0;
        for (String k : start.keySet()) {
            if (k.startsWith("encoder.")) {
                encoderTensors++;
                assertThat(afterEpoch.get(0).get(k).data()).as(k + " frozen in epoch 0").isEqualTo(start.get(k).data());
            }
        }
        assertThat(encoderTensors).isGreaterThan(10);
        assertThat(start.keySet().stream().filter(k -> k.startsWith("decoder.stages."))
                .anyMatch(k -> !afterEpoch.get(0).get(k).data().equals(start.get(k).data()))).isTrue();
        assertThat(start.keySet().stream().filter(k -> k.startsWith("encoder."))
                .filter(k -> !afterEpoch.get(1).get(k).data().equals(start.get(k).data())).count())
                .isGreaterThan(encoderTensors / 2);
        // report at start (decoder only) and when everything was unfrozen
        assertThat(reports).hasSize(2);
        assertThat(reports.get(0)).isLessThan(reports.get(1));
        assertThat(reports.get(1)).isEqualTo(start.size());
        // LR factor 0.5 from epoch 1
        List<EpochRecord> log = TrainingLogFile.parse(Files.readString(out.resolve("fold_all/training_log.json")), "log",
                EpochRecord::read);
        assertThat(log.get(1).lr()).isCloseTo(0.5 * 1e-2 * Math.pow(1 - 1 / 3.0, 0.9), within(1e-12));
    }

    @Test
    void corruptLatestCheckpointFailsClearly() throws Exception {
        Path out = tmp.resolve("corrupt");
        Files.createDirectories(out.resolve("fold_all"));
        byte[] real = Files.readAllBytes(tmp.resolve("full/fold_all/checkpoint_final.pth"));
        Files.write(out.resolve("fold_all/checkpoint_latest.pth"), java.util.Arrays.copyOf(real, real.length / 2));
        assertThatThrownBy(() -> Trainer.train(SyntheticFolders.inputs(data, out, "all").withResume(true), settings(),
                TrainingListener.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("checkpoint_latest.pth")
                .hasMessageContaining("not a readable checkpoint");
        Files.delete(out.resolve("fold_all/checkpoint_latest.pth"));
        assertThatThrownBy(() -> Trainer.train(SyntheticFolders.inputs(data, out, "all").withResume(true), settings(),
                TrainingListener.NONE)).hasMessageContaining("found no such file");
    }

    @Test
    void pretrainedWithAnotherArchitectureIsRefusedPerKey() throws Exception {
        Path wide = SyntheticFolders.write(tmp.resolve("pre-wide"), SyntheticTask.A, 3, 3, new int[] {8, 16, 32});
        assertThatThrownBy(() -> Trainer.train(SyntheticFolders.inputs(wide, tmp.resolve("wide"), "all")
                .withPretrained(tmp.resolve("full/fold_all/checkpoint_final.pth")), settings(), TrainingListener.NONE))
                .hasMessageContaining("does not fit the planned network")
                .hasMessageContaining("encoder.stages.0.0.convs.0.conv.weight: network expects [8, 1, 3, 3, 3], checkpoint has [4, 1, 3, 3, 3]");
    }

    @Test
    void pretrainedWithAnotherLabelCountReinitialisesOnlyTheSegmentationHeads() throws Exception {
        Path four = SyntheticFolders.write(tmp.resolve("pre-four"), SyntheticTask.A, 3, 3, SyntheticFolders.SLIM);
        String dj = Files.readString(four.resolve("dataset.json")).replace("\"rod\" : 2", "\"rod\" : 2,\n    \"extra\" : 3");
        Files.writeString(four.resolve("dataset.json"), dj);
        List<String> messages = new ArrayList<>();
        Trainer.train(SyntheticFolders.inputs(four, tmp.resolve("four"), "all").withPretrained(tmp.resolve("full")),
                SyntheticFolders.small(1, 1), new TrainingListener() {
                    @Override
                    public void message(String text) {
                        messages.add(text);
                    }
                });
        String m = messages.stream().filter(x -> x.startsWith("pretrained:")).findFirst().orElseThrow();
        assertThat(m).contains("decoder.seg_layers.1.weight [3, 4, 1, 1, 1] -> [4, 4, 1, 1, 1]")
                .contains("decoder.seg_layers.0.bias [3] -> [4]");
        Map<String, NdArray> start = NnUNetCheckpoint.read(tmp.resolve("full/fold_all/checkpoint_final.pth")).canonicalWeights();
        assertThat(m).contains((start.size() - 4) + " tensors");
    }

    @Test
    void encoderLrFactorGivesTheEncoderItsOwnParameterGroup() throws Exception {
        Path pretrained = tmp.resolve("full/fold_all/checkpoint_final.pth");
        Map<String, NdArray> start = NnUNetCheckpoint.read(pretrained).canonicalWeights();
        Path out = tmp.resolve("encoder-lr");
        Trainer.train(SyntheticFolders.inputs(data, out, "all").withPretrained(pretrained),
                SyntheticFolders.small(1, 2).encoderLrFactor(0), TrainingListener.NONE);
        NnUNetCheckpoint c = NnUNetCheckpoint.read(out.resolve("fold_all/checkpoint_final.pth"));
        Map<String, NdArray> end = c.canonicalWeights();
        assertThat(start.keySet().stream().filter(k -> k.startsWith("encoder."))
                .allMatch(k -> end.get(k).data().equals(start.get(k).data()))).isTrue();
        assertThat(start.keySet().stream().filter(k -> k.startsWith("decoder.stages."))
                .anyMatch(k -> !end.get(k).data().equals(start.get(k).data()))).isTrue();
        assertThat(c.optimizerState().paramGroups()).hasSize(2);
        assertThat(c.optimizerState().paramGroups().get(0).lr()).isEqualTo(0.0);
        assertThat(c.optimizerState().paramGroups().get(0).params().size()
                + c.optimizerState().paramGroups().get(1).params().size()).isEqualTo(start.size());
    }
}
