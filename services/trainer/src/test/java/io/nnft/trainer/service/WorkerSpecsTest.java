package io.nnft.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nnft.events.FineTuneRequested;
import io.nnft.events.Task;
import io.nnft.services.common.JobFailure;
import io.nnft.trainer.worker.WorkerSpec;
import io.nnft.training.TrainingSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The request's settings reach the loop unchanged; what the loop cannot do is refused, naming the field. */
class WorkerSpecsTest {
    private static FineTuneRequested request(FineTuneRequested.Budget budget, FineTuneRequested.Optimizer opt,
                                             FineTuneRequested.EarlyStopping es, FineTuneRequested.Freeze freeze,
                                             Integer seed, Task task) {
        return new FineTuneRequested("job-1", task, "s3://nnft/datasets/Dataset001_X/", null, null, null, null, seed,
                budget, opt, es, freeze, null, null);
    }

    @Test
    void budgetOptimizerEarlyStoppingFreezeAndSeedAreCarriedOver() {
        FineTuneRequested r = request(new FineTuneRequested.Budget(30, 20, 5, 2),
                new FineTuneRequested.Optimizer(3e-3, 1e-4, 0.9, null),
                new FineTuneRequested.EarlyStopping(null, 7, 0.001),
                new FineTuneRequested.Freeze(FineTuneRequested.Freeze.Policy.PREFIXES, List.of("encoder.stages.0",
                        "encoder.stages.1"), true, List.of(new FineTuneRequested.UnfreezeStep(10, List.of(""), 0.1, 3))),
                42, null);
        WorkerSpec.Settings s = WorkerSpecs.settings(r, 3);
        TrainingSettings t = new WorkerSpec("job-1", "/p", "/p/plans.json", "3d_fullres", "0", "/o", null, null, false,
                null, false, s, null).trainingSettings();
        assertThat(t.epochs()).isEqualTo(30);
        assertThat(t.iterationsPerEpoch()).isEqualTo(20);
        assertThat(t.validationIterations()).isEqualTo(5);
        assertThat(t.checkpointEvery()).isEqualTo(2);
        assertThat(t.initialLr()).isEqualTo(3e-3);
        assertThat(t.weightDecay()).isEqualTo(1e-4);
        assertThat(t.momentum()).isEqualTo(0.9);
        assertThat(t.patience()).isEqualTo(7);
        assertThat(t.minDelta()).isEqualTo(0.001);
        assertThat(t.seed()).isEqualTo(42L);
        assertThat(t.dataThreads()).isEqualTo(3);
        assertThat(t.freeze().policy()).isEqualTo("prefixes:encoder.stages.0,encoder.stages.1");
        assertThat(t.freeze().keepNormTrainable()).isTrue();
        assertThat(t.freeze().schedule()).hasSize(1);
        assertThat(t.freeze().schedule().get(0).epoch()).isEqualTo(10);
        assertThat(t.freeze().schedule().get(0).lrFactor()).isEqualTo(0.1);
        assertThat(t.freeze().schedule().get(0).warmupEpochs()).isEqualTo(3);
        // 0.1 x (0 + 1) / (3 + 1) at the schedule's first epoch.
        assertThat(t.freeze().lrFactor(10)).isEqualTo(0.025);
    }

    @Test
    void defaultsAreNnUNets() {
        WorkerSpec.Settings s = WorkerSpecs.settings(request(null, null, null, null, null, null), 2);
        assertThat(s.epochs()).isEqualTo(1000);
        assertThat(s.iterationsPerEpoch()).isEqualTo(250);
        assertThat(s.validationIterations()).isEqualTo(50);
        assertThat(s.initialLr()).isEqualTo(1e-2);
        assertThat(s.momentum()).isEqualTo(0.99);
        assertThat(s.weightDecay()).isEqualTo(3e-5);
        assertThat(s.patience()).isNull();
        assertThat(s.seed()).isNull();
        assertThat(s.freezePolicy()).isEqualTo("none");
    }

    @Test
    void whatTheLoopCannotDoIsRefusedNamingTheField() {
        FineTuneRequested r = request(null, new FineTuneRequested.Optimizer(null, null, null, 0.1),
                new FineTuneRequested.EarlyStopping(FineTuneRequested.EarlyStopping.Metric.VAL_LOSS, 5, null), null,
                null, null);
        assertThatThrownBy(() -> WorkerSpecs.settings(r, 1)).isInstanceOf(JobFailure.class)
                .hasMessageContaining("/optimizer/encoderLrFactor").hasMessageContaining("found 0.1")
                .hasMessageContaining("/earlyStopping/metric").hasMessageContaining("found val_loss")
                .satisfies(e -> assertThat(((JobFailure) e).retriable()).isFalse());
    }

    @Test
    void aClassificationRequestKeepsItsDifferentialLearningRatesHeadAndMetric() throws Exception {
        FineTuneRequested r = io.nnft.events.EventJson.mapper().readValue(java.nio.file.Path.of(
                "../../schemas/examples/FineTuneRequested.classification.json").toFile(), FineTuneRequested.class);
        WorkerSpec.Settings s = WorkerSpecs.settings(r, 1);
        WorkerSpec.Classification c = WorkerSpecs.classification(r, "/p/classification.csv");
        assertThat(WorkerSpecs.classification(request(null, null, null, null, null, null), "/x")).isNull();
        WorkerSpec spec = new WorkerSpec("grade-cls-001", "/p", "/p/plans.json", "3d_fullres", "1", "/o", null, null,
                false, null, false, s, c);
        io.nnft.classification.ClassificationSettings cs = spec.classificationSettings();
        assertThat(cs.initialLr()).isEqualTo(1e-3);
        assertThat(cs.encoderLrFactor()).isEqualTo(0.1);
        assertThat(cs.headLrFactor()).isEqualTo(10);
        assertThat(cs.weightDecay()).isEqualTo(0.01);
        assertThat(cs.optimizer()).isEqualTo(io.nnft.classification.ClassificationSettings.Optimizer.ADAMW);
        assertThat(cs.crop()).isEqualTo(io.nnft.classification.ClassificationSettings.Crop.CENTER);
        assertThat(cs.classWeights()).containsExactly(1.0, 2.5);
        assertThat(cs.metric()).isEqualTo(io.nnft.classification.ClassificationMetric.AUC);
        assertThat(cs.patience()).isEqualTo(10);
        assertThat(cs.head().skips()).containsExactly(4);
        assertThat(cs.head().hiddenUnits()).containsExactly(128);
        assertThat(cs.head().dropout()).isEqualTo(0.2);
        assertThat(cs.freeze().policy()).isEqualTo("encoder");
        assertThat(cs.freeze().schedule()).hasSize(2);
        assertThat(cs.epochs()).isEqualTo(60);
        // the spec goes to the worker JVM as JSON and back unchanged
        WorkerSpec back = new com.fasterxml.jackson.databind.ObjectMapper().readValue(
                new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(spec), WorkerSpec.class);
        assertThat(back.classification().labelsCsv()).isEqualTo("/p/classification.csv");
        assertThat(back.classification().classWeights()).containsExactly(1.0, 2.5);
        assertThat(back.trainsClassifier()).isTrue();
    }
}
