package io.nnft.trainer.worker;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.nnft.training.FreezeSettings;
import io.nnft.training.TrainingInputs;
import io.nnft.training.TrainingSettings;
import io.nnft.training.UnfreezeStep;
import java.nio.file.Path;
import java.util.List;

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
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WorkerSpec(String jobId, String preprocessed, String plans, String configuration, String fold,
                         String outputDir, String pretrained, String splitsFile, boolean resume, String cancelFile,
                         boolean requireGpu, Settings settings) {

    /** The loop's knobs, from the request's budget, optimizer, earlyStopping, freeze and seed. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Settings(int epochs, int iterationsPerEpoch, int validationIterations, double initialLr,
                           double weightDecay, double momentum, int checkpointEvery, Integer patience,
                           double minDelta, Long seed, boolean deterministic, int dataThreads,
                           String freezePolicy, boolean keepNormTrainable, List<Step> unfreezeSchedule) {
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
                .freeze(new FreezeSettings(s.freezePolicy(), s.keepNormTrainable(), schedule));
    }

    /** {@code outputDir/fold_F}. */
    public Path foldDirectory() {
        return Path.of(outputDir).resolve("fold_" + fold);
    }
}
