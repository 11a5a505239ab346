package io.nnft.classification;

import io.nnft.checkpoint.NnUNetCheckpoint;
import io.nnft.imageio.NdArray;
import io.nnft.training.EpochSummary;
import io.nnft.training.FreezeSettings;
import io.nnft.training.TrainingListener;
import io.nnft.training.TrainingResult;
import io.nnft.training.UnfreezeStep;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Freezing, resume, checkpoints, prediction and bad input of the classification trainer (tiny budgets). */
class ClassificationTrainerTest {
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
        return new ClassificationSettings().epochs(epochs).iterationsPerEpoch(2).batchSize(2).seed(5L).dataThreads(1)
                .head(new HeadSettings(HeadSettings.Pooling.AVG, List.of(2), 0.2, List.of(8)));
    }

    private static Map<String, NdArray> weights(Path ckpt) throws Exception {
        return NnUNetCheckpoint.read(ckpt).canonicalWeights();
    }

    @Test
    void frozenEncoderIsBitIdenticalUntilItsStageIsUnfrozen() throws Exception {
        // encoder frozen; at epoch 1 the bottleneck stage (encoder.stages.3) is unfrozen
        ClassificationSettings s = tiny(2).freeze(new FreezeSettings("encoder", false,
                List.of(new UnfreezeStep(1, List.of("encoder.stages.3"), 1, 0))));
        Path fold = tmp.resolve("freeze/fold_0");
        Path snapshot = tmp.resolve("after-epoch-0.pth");
        ClassificationTask.train(inputs("freeze"), s, new TrainingListener() {
            @Override
            public void epochEnded(EpochSummary summary, List<String> classes, int epochs, double eta) {
                ClassificationEpochRecord r = (ClassificationEpochRecord) summary;
                if (r.epoch() == 0) {
                    try {
                        Files.copy(fold.resolve("checkpoint_latest.pth"), snapshot);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }
        });
        Map<String, NdArray> pretrained = weights(ClassificationFixtures.DEMO_MODEL.resolve("fold_all/checkpoint_final.pth"));
        Map<String, NdArray> afterEpoch0 = weights(snapshot);
        Map<String, NdArray> last = weights(fold.resolve("checkpoint_final.pth"));
        for (Map.Entry<String, NdArray> e : last.entrySet()) {
            String k = e.getKey();
            if (k.startsWith("encoder.stages.3")) {
                assertThat(e.getValue().data()).as(k + " moves once unfrozen").isNotEqualTo(pretrained.get(k).data());
                assertThat(afterEpoch0.get(k).data()).as(k + " frozen in epoch 0").isEqualTo(pretrained.get(k).data());
            } else if (k.startsWith("encoder.")) {
                assertThat(e.getValue().data()).as(k + " stays frozen").isEqualTo(pretrained.get(k).data());
            } else {
                assertThat(k).startsWith("head.fc.");
                assertThat(e.getValue().data()).as(k + " trains from the start").isNotEqualTo(afterEpoch0.get(k).data());
            }
        }
        assertThat(last.keySet()).contains("head.fc.0.weight", "head.fc.0.bias", "head.fc.1.weight", "head.fc.1.bias");
        assertThat(last.get("head.fc.0.weight").shape()).containsExactly(8, 64 + 32);
        assertThat(last.get("head.fc.1.weight").shape()).containsExactly(2, 8);
    }

    @Test
    void resumeContinuesWhereACancelledRunStopped() throws Exception {
        // no dropout: its mask comes from libtorch's generator, which a resume does not restore
        HeadSettings head = new HeadSettings(HeadSettings.Pooling.AVG, List.of(2), 0, List.of(8));
        TrainingResult<ClassificationEpochRecord> full = ClassificationTask.train(inputs("uninterrupted"), tiny(3).head(head),
                TrainingListener.NONE);

        AtomicInteger iterations = new AtomicInteger();
        TrainingResult<ClassificationEpochRecord> cut = ClassificationTask.train(inputs("interrupted"), tiny(3).head(head),
                new TrainingListener() {
            @Override
            public boolean cancelRequested() {
                return iterations.get() >= 4; // after epoch 1 (2 iterations per epoch)
            }

            @Override
            public void iterationDone(int epoch, int iteration, float loss) {
                iterations.incrementAndGet();
            }
        });
        assertThat(cut.stopReason()).isEqualTo("cancelled");
        assertThat(tmp.resolve("interrupted/fold_0/checkpoint_final.pth")).doesNotExist();
        assertThat(NnUNetCheckpoint.read(tmp.resolve("interrupted/fold_0/checkpoint_latest.pth")).currentEpoch()).isEqualTo(2);

        TrainingResult<ClassificationEpochRecord> resumed = ClassificationTask.train(inputs("interrupted").withResume(true),
                tiny(3).head(head), TrainingListener.NONE);
        assertThat(resumed.epochsRun()).isEqualTo(1);
        assertThat(resumed.log()).hasSize(3);
        NnUNetCheckpoint fin = NnUNetCheckpoint.read(tmp.resolve("interrupted/fold_0/checkpoint_final.pth"));
        assertThat(fin.currentEpoch()).isEqualTo(3);
        assertThat(fin.trainerName()).isEqualTo("nnftClassificationTrainer");
        assertThat(fin.extras()).containsEntry("nnft_task", "classification");
        assertThat(fin.optimizerState().state().get(0)).containsKeys("step", "exp_avg", "exp_avg_sq");
        // same batches (seeded by index) and the restored AdamW state: the resumed epoch repeats the uninterrupted one
        assertThat(resumed.log().get(2).trainLoss()).isCloseTo(full.log().get(2).trainLoss(),
                org.assertj.core.api.Assertions.within(1e-6));
        String log = Files.readString(tmp.resolve("interrupted/fold_0/training_log.json"));
        assertThat(log).contains("\"balanced_accuracy\"").contains("\"confusion\"").contains("\"stop_reason\" : \"completed\"");
    }

    @Test
    void classifierPredictsLikeTheValidationPass() throws Exception {
        ClassificationTask.train(inputs("predict").withPretrained(null), tiny(1).optimizer(
                ClassificationSettings.Optimizer.SGD).momentum(0.99).initialLr(1e-2), TrainingListener.NONE);
        List<String> rows = Files.readAllLines(tmp.resolve("predict/fold_0/validation_predictions.csv"));
        try (Classifier c = Classifier.load(tmp.resolve("predict"), "0", "final")) {
            assertThat(c.classNames()).containsExactly("absent", "present");
            for (String row : rows.subList(1, rows.size())) {
                String[] f = row.split(",");
                io.nnft.training.data.PreprocessedCase pc = io.nnft.training.data.PreprocessedDataset.openImages(pre).get(f[0]);
                ClassPrediction p = c.predict(f[0], pc.data(), pc.channels(), pc.shape());
                assertThat(p.label()).isEqualTo(f[1]);
                assertThat(p.probabilities()[1]).isCloseTo(Double.parseDouble(f[4]), org.assertj.core.api.Assertions.within(1e-5));
            }
        }
        ClassificationModel m = ClassificationModel.read(tmp.resolve("predict"));
        assertThat(m.headShapes()).containsOnlyKeys("head.fc.0.weight", "head.fc.0.bias", "head.fc.1.weight", "head.fc.1.bias");
        assertThat(m.headInFeatures()).isEqualTo(96);
        assertThat(ClassificationModel.weights(m.checkpoint("0", "final")).keySet())
                .allMatch(k -> k.startsWith("encoder.stages.") || k.startsWith("head.fc."));

        // the exporter's classifier export (libs/export) takes this checkpoint and classification.json as they are
        io.nnft.export.ExportResult exported = io.nnft.export.ClassifierExport.export(
                io.nnft.checkpoint.NnUNetCheckpoint.read(m.checkpoint("0", "final")), m.json(), "final",
                tmp.resolve("export"), io.nnft.export.ExportOptions.of("fold_0/checkpoint_final.pth"));
        io.nnft.checkpoint.SafeTensors.Contents st = io.nnft.checkpoint.SafeTensors.read(
                exported.dir().resolve(io.nnft.export.ClassifierExport.CLASSIFIER_SAFETENSORS));
        assertThat(st.tensors().keySet()).containsExactlyElementsOf(
                ClassificationModel.weights(m.checkpoint("0", "final")).keySet());
        assertThat(st.tensors().get("head.fc.1.weight").shape()).containsExactly(2, 8);
        com.fasterxml.jackson.databind.JsonNode section = exported.manifest().path("classifier");
        assertThat(section.path("classes").toString()).isEqualTo("[\"absent\",\"present\"]");
        assertThat(section.path("head_in_features").asInt()).isEqualTo(96);
    }

    @Test
    void earlyStoppingOnTheMonitoredMetricWritesTheFinalCheckpoint() throws Exception {
        // minDelta 1: the AUC (<= 1) can improve only on the first epoch, so patience 1 stops after epoch 1
        ClassificationSettings s = tiny(5).earlyStopping(ClassificationMetric.AUC, 1, 1.0)
                .freeze(new FreezeSettings("all-but-seg-head", false, List.of()));
        assertThat(s.freeze().policy()).as("head only").isEqualTo("encoder");
        TrainingResult<ClassificationEpochRecord> r = ClassificationTask.train(inputs("early"), s, TrainingListener.NONE);
        assertThat(r.stopReason()).isEqualTo("early_stopping");
        assertThat(r.log()).hasSize(2);
        assertThat(r.metric()).isEqualTo(ClassificationMetric.AUC.jsonName());
        assertThat(r.log().get(1).trainableTensors()).isEqualTo(4);
        assertThat(NnUNetCheckpoint.read(tmp.resolve("early/fold_0/checkpoint_final.pth")).currentEpoch()).isEqualTo(2);
        assertThat(Files.readString(tmp.resolve("early/fold_0/training_log.json")))
                .contains("\"stop_reason\" : \"early_stopping\"").contains("\"metric\" : \"auc\"");
    }

    @Test
    void badInputFailsClearly() throws Exception {
        Path bad = tmp.resolve("bad.csv");
        Files.writeString(bad, "case,label\ncls_000,absent\nnot_a_case,present\n");
        ClassificationInputs in = new ClassificationInputs(pre, ClassificationFixtures.demoPlans(), "3d_fullres", "0", bad,
                tmp.resolve("bad"), null, pre.resolve("splits_final.json"), null, false);
        assertThatThrownBy(() -> ClassificationTask.train(in, tiny(1), TrainingListener.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad.csv line 3")
                .hasMessageContaining("unknown case 'not_a_case'");
        assertThatThrownBy(() -> ClassificationTask.train(inputs("x").withResume(true), tiny(1), TrainingListener.NONE))
                .hasMessageContaining("--resume: expected").hasMessageContaining("checkpoint_latest.pth");
        assertThatThrownBy(() -> ClassificationTask.train(inputs("y"), tiny(1).head(
                new HeadSettings(HeadSettings.Pooling.AVG, List.of(3), 0, List.of())), TrainingListener.NONE))
                .hasMessageContaining("head skips: stage 3 is not a skip");
        assertThatThrownBy(() -> ClassificationTask.train(inputs("z").withPretrained(pre), tiny(1), TrainingListener.NONE))
                .hasMessageContaining("--pretrained");
    }
}
