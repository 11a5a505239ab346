package io.nnft.trainer.service;

import io.nnft.events.FineTuneRequested;
import io.nnft.events.Problem;
import io.nnft.events.Task;
import io.nnft.services.common.JobFailure;
import io.nnft.trainer.worker.WorkerSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The request's training settings (budget, optimizer, earlyStopping, freeze incl. schedule, seed) as the
 * worker's settings. What libs/training cannot do yet is refused with the field named, never ignored.
 */
public final class WorkerSpecs {
    private WorkerSpecs() {
    }

    public static WorkerSpec.Settings settings(FineTuneRequested request, int dataThreads) {
        return settings(request, dataThreads, null);
    }

    /** @param maxSkippedSteps nnft.trainer.max-skipped-steps, or null for the trainers' default */
    public static WorkerSpec.Settings settings(FineTuneRequested request, int dataThreads, Integer maxSkippedSteps) {
        FineTuneRequested r = request.withDefaults();
        List<Problem> problems = new ArrayList<>();
        boolean classification = r.task() == Task.CLASSIFICATION;
        FineTuneRequested.Optimizer o = r.optimizer();
        // the classifier has per-part learning rates; nnU-Net's segmentation loop has one
        if (!classification && o.encoderLrFactor() != null && o.encoderLrFactor() != 1.0) {
            problems.add(new Problem("/optimizer/encoderLrFactor",
                    "1.0 (one LR for all parameters; per-part LR factors are not supported yet)",
                    String.valueOf(o.encoderLrFactor())));
        }
        FineTuneRequested.EarlyStopping es = r.earlyStopping();
        if (!classification && es != null && es.metric() != FineTuneRequested.EarlyStopping.Metric.EMA_PSEUDO_DICE) {
            problems.add(new Problem("/earlyStopping/metric", "ema_pseudo_dice (the metric segmentation training monitors)",
                    String.valueOf(es.metric()).toLowerCase(java.util.Locale.ROOT)));
        }
        if (classification && es != null && es.metric() == FineTuneRequested.EarlyStopping.Metric.EMA_PSEUDO_DICE) {
            problems.add(new Problem("/earlyStopping/metric", "balanced_accuracy, auc or val_loss (a classifier has no "
                    + "pseudo-Dice)", "ema_pseudo_dice"));
        }
        if (!problems.isEmpty()) {
            throw new JobFailure("the trainer cannot run this request: " + problems.stream()
                    .map(p -> p.where() + ": expected " + p.expected() + ", found " + p.found()).toList(), problems, false);
        }
        FineTuneRequested.Budget b = r.budget();
        FineTuneRequested.Freeze f = r.freeze();
        List<WorkerSpec.Step> schedule = f.schedule().stream().map(s -> new WorkerSpec.Step(s.epoch(),
                s.unfreezePrefixes(), s.lrFactor(), s.warmupEpochs())).toList();
        return new WorkerSpec.Settings(b.epochs(), b.iterationsPerEpoch(), b.validationIterations(), o.initialLr(),
                o.weightDecay(), o.momentum(), b.checkpointEvery(), es == null ? null : es.patience(),
                es == null || es.minDelta() == null ? 0 : es.minDelta(), r.seed() == null ? null : r.seed().longValue(),
                false, dataThreads, freezePolicy(f), Boolean.TRUE.equals(f.keepNormTrainable()), schedule,
                maxSkippedSteps);
    }

    /**
     * The classification block of the worker spec for a task=classification request, null for segmentation.
     * {@code labelsCsv} is the job's local classification.csv.
     */
    public static WorkerSpec.Classification classification(FineTuneRequested request, String labelsCsv) {
        FineTuneRequested r = request.withDefaults();
        if (r.task() != Task.CLASSIFICATION) {
            return null;
        }
        FineTuneRequested.Classification c = r.classification();
        FineTuneRequested.Head h = c.head();
        FineTuneRequested.EarlyStopping es = r.earlyStopping();
        double[] weights = c.classWeights() == null ? null
                : c.classWeights().stream().mapToDouble(Double::doubleValue).toArray();
        return new WorkerSpec.Classification(labelsCsv, lower(c.optimizer()), r.optimizer().encoderLrFactor(),
                c.headLrFactor(), lower(c.crop()), weights, lower(h.pooling()), h.skips(), h.dropout(), h.hiddenUnits(),
                es == null ? "balanced_accuracy" : lower(es.metric()));
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** libs/training's policy strings: none | encoder | all-but-seg-head | prefixes:P1,P2. */
    static String freezePolicy(FineTuneRequested.Freeze f) {
        return switch (f.policy()) {
            case NONE -> "none";
            case ENCODER -> "encoder";
            case ALL_BUT_SEG_HEAD -> "all-but-seg-head";
            case PREFIXES -> {
                if (f.prefixes() == null || f.prefixes().isEmpty()) {
                    throw new JobFailure("freeze.policy 'prefixes' needs freeze.prefixes", List.of(new Problem(
                            "/freeze/prefixes", "at least one parameter-name prefix", "nothing")), false);
                }
                yield "prefixes:" + String.join(",", f.prefixes());
            }
        };
    }
}
