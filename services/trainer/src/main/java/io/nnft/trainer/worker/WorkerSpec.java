package io.nnft.trainer.worker;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.nnft.classification.ClassificationInputs;
import io.nnft.classification.ClassificationMetric;
import io.nnft.classification.ClassificationSettings;
import io.nnft.classification.HeadSettings;
import io.nnft.training.FreezeSettings;
import io.nnft.training.TrainingInputs;
import io.nnft.training.TrainingSettings;
import io.nnft.training.UnfreezeStep;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What one worker JVM trains: the local files of one attempt and the loop's settings, written as JSON by the
 * service ({@code spec.json}) and read by {@link TrainingWorker}. Paths are local to the trainer's node.
 *
 * @param fold        "0".."4" or "all"
 * @param pretrained  a .pth file or model folder, or null
 * @param splitsFile  a splits_final.json, or null (then the one beside the preprocessed data, if any)
 * @param resume      continue from {@code outputDir/fold_F/checkpoint_latest.pth}
 * @param cancelFile  polled between iterations: when it exists, training stops (checkpoint_latest is kept)
 * @param requireGpu  refuse to train when DJL sees no GPU
 * @param classification null: a segmentation job (nnU-Net's trainer); else a classifier on the encoder
 *                    (libs/classification) with these head and optimizer settings
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WorkerSpec(String jobId, String preprocessed, String plans, String configuration, String fold,
                         String outputDir, String pretrained, String splitsFile, boolean resume, String cancelFile,
                         boolean requireGpu, Settings settings, Classification classification) {

    /**
     * The request's {@code classification} block and what differs from segmentation in the loop.
     *
     * @param labelsCsv       the job's classification.csv (case,label), local
     * @param optimizer       adamw | sgd
     * @param encoderLrFactor encoder LR = initialLr x this
     * @param headLrFactor    head LR = initialLr x this
     * @param crop            random | center
     * @param classWeights    cross-entropy weight per class index, or null
     * @param pooling         avg | max
     * @param metric          monitored validation metric: balanced_accuracy | auc | val_loss
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Classification(String labelsCsv, String optimizer, double encoderLrFactor, double headLrFactor,
                                 String crop, double[] classWeights, String pooling, List<Integer> skips,
                                 double dropout, List<Integer> hiddenUnits, String metric) {
    }

    public boolean trainsClassifier() {
        return classification != null;
    }

    /**
     * The loop's knobs, from the request's budget, optimizer, earlyStopping, freeze and seed.
     *
     * @param maxSkippedSteps consecutive non-finite steps before the run diverges (nnft.trainer.max-skipped-steps);
     *                        null: the trainers' default
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Settings(int epochs, int iterationsPerEpoch, int validationIterations, double initialLr,
                           double weightDecay, double momentum, int checkpointEvery, Integer patience,
                           double minDelta, Long seed, boolean deterministic, int dataThreads,
                           String freezePolicy, boolean keepNormTrainable, List<Step> unfreezeSchedule,
                           Integer maxSkippedSteps) {
    }

    /** One step of the freeze schedule. */
    public record Step(int epoch, List<String> unfreezePrefixes, double lrFactor, int warmupEpochs) {
    }

    public TrainingInputs inputs() {
        TrainingInputs in = TrainingInputs.of(Path.of(preprocessed), Path.of(plans), configuration, fold,
                Path.of(outputDir)).withResume(resume);
        if (pretrained != null) {
            in = in.withPretrained(Path.of(pretrained));
        }
        if (splitsFile != null) {
            in = in.withSplitsFile(Path.of(splitsFile));
        }
        return in;
    }

    public TrainingSettings trainingSettings() {
        Settings s = settings;
        List<UnfreezeStep> schedule = s.unfreezeSchedule() == null ? List.of() : s.unfreezeSchedule().stream()
                .map(t -> new UnfreezeStep(t.epoch(), t.unfreezePrefixes(), t.lrFactor(), t.warmupEpochs())).toList();
        return new TrainingSettings().epochs(s.epochs()).iterationsPerEpoch(s.iterationsPerEpoch())
                .validationIterations(s.validationIterations()).initialLr(s.initialLr()).weightDecay(s.weightDecay())
                .momentum(s.momentum()).checkpointEvery(s.checkpointEvery()).patience(s.patience())
                .minDelta(s.minDelta()).seed(s.seed()).deterministic(s.deterministic()).dataThreads(s.dataThreads())
                .freeze(new FreezeSettings(s.freezePolicy(), s.keepNormTrainable(), schedule))
                .maxSkippedSteps(s.maxSkippedSteps() == null ? TrainingSettings.DEFAULT_MAX_SKIPPED_STEPS
                        : s.maxSkippedSteps());
    }

    public ClassificationInputs classificationInputs() {
        ClassificationInputs in = ClassificationInputs.of(Path.of(preprocessed), Path.of(plans), configuration, fold,
                Path.of(classification.labelsCsv()), Path.of(outputDir)).withResume(resume);
        if (pretrained != null) {
            in = in.withPretrained(Path.of(pretrained));
        }
        if (splitsFile != null) {
            in = in.withSplitsFile(Path.of(splitsFile));
        }
        return in;
    }

    public ClassificationSettings classificationSettings() {
        Settings s = settings;
        Classification c = classification;
        TrainingSettings t = trainingSettings();
        return new ClassificationSettings().epochs(s.epochs()).iterationsPerEpoch(s.iterationsPerEpoch())
                .validationIterations(s.validationIterations()).checkpointEvery(s.checkpointEvery()).seed(s.seed())
                .optimizer(ClassificationSettings.Optimizer.valueOf(c.optimizer().toUpperCase(Locale.ROOT)))
                .initialLr(s.initialLr()).weightDecay(s.weightDecay()).momentum(s.momentum())
                .encoderLrFactor(c.encoderLrFactor()).headLrFactor(c.headLrFactor())
                .head(new HeadSettings(HeadSettings.Pooling.parse(c.pooling()), c.skips(), c.dropout(), c.hiddenUnits()))
                .crop(ClassificationSettings.Crop.valueOf(c.crop().toUpperCase(Locale.ROOT)))
                .classWeights(c.classWeights())
                .earlyStopping(ClassificationMetric.parse(c.metric()), s.patience(), s.minDelta())
                .freeze(t.freeze()).dataThreads(s.dataThreads()).maxSkippedSteps(t.maxSkippedSteps());
    }

    /** {@code outputDir/fold_F}. */
    public Path foldDirectory() {
        return Path.of(outputDir).resolve("fold_" + fold);
    }
}
