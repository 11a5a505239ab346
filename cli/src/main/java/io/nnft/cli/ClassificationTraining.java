package io.nnft.cli;

import io.nnft.classification.ClassificationEpochRecord;
import io.nnft.classification.ClassificationInputs;
import io.nnft.classification.ClassificationSettings;
import io.nnft.classification.ClassificationTask;
import io.nnft.training.StepDecorator;
import io.nnft.training.Trainer;
import io.nnft.training.TrainingResult;
import io.nnft.network.ParameterReport;
import io.nnft.training.FreezeSettings;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** {@code nnft train --task classification}: maps the train command's options onto the classification trainer. */
final class ClassificationTraining {
    private ClassificationTraining() {
    }

    static int run(TrainCommand t, FreezeSettings freeze) throws IOException {
        ClassificationTrainOptions o = t.classification;
        if (o.labels == null) {
            throw new BadInputException("--task classification: expected --labels classification.csv, found none");
        }
        ClassificationSettings s;
        ClassificationInputs in;
        try {
            s = new ClassificationSettings().epochs(t.epochs).iterationsPerEpoch(t.iterations)
                    .validationIterations(t.validationIterations).checkpointEvery(t.checkpointEvery)
                    .encoderLrFactor(t.encoderLrFactor).batchSize(t.batchSize).augment(!t.noAugment).freeze(freeze)
                    .maxSkippedSteps(t.maxSkippedSteps)
                    .seed(t.seed != null ? t.seed : t.deterministic ? Long.valueOf(12345) : null);
            o.applyTo(s);
            s.initialLr(t.lr != null ? t.lr : s.optimizer() == ClassificationSettings.Optimizer.ADAMW ? 1e-3 : 1e-2);
            s.earlyStopping(o.metric(), t.patience, t.minDelta);
            if (t.dataThreads != null) {
                s.dataThreads(t.dataThreads);
            }
            in = new ClassificationInputs(t.preprocessed, t.plans, t.configuration, t.fold, o.labels, t.output,
                    t.pretrained, t.splits, t.datasetJson, t.resume);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        TrainingResult<ClassificationEpochRecord> r;
        try {
            try (ClassificationTask task = ClassificationTask.open(in, s)) {
                r = Trainer.train(task, new TrainingConsole(false), StepDecorator.NONE, t.writer);
            }
        } catch (IllegalArgumentException | io.nnft.planning.PlansException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        System.out.printf(Locale.ROOT, "%s after %d epochs this run (last epoch %d); best %s %.4f at epoch %d%n",
                r.stopReason(), r.epochsRun(), r.lastEpoch(), r.metric(), r.best(), r.bestEpoch());
        if (!r.log().isEmpty()) {
            ClassificationEpochRecord last = r.log().get(r.log().size() - 1);
            System.out.printf(Locale.ROOT, "last epoch: accuracy %.4f, balanced accuracy %.4f, AUC %.4f, confusion %s%n",
                    last.accuracy(), last.balancedAccuracy(), last.auc(), Arrays.deepToString(last.confusion()));
        }
        Path folder = r.foldDirectory();
        System.out.println("classes: " + r.classNames());
        System.out.println("model folder: " + folder.getParent() + " (" + folder.getFileName() + ")");
        return 0;
    }
}
