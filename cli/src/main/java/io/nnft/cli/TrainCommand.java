package io.nnft.cli;

import io.nnft.training.CheckpointWriter;
import io.nnft.training.EpochRecord;
import io.nnft.training.FreezeSettings;
import io.nnft.training.SegmentationTask;
import io.nnft.training.StepDecorator;
import io.nnft.training.Trainer;
import io.nnft.training.TrainingInputs;
import io.nnft.training.TrainingResult;
import io.nnft.training.TrainingSettings;
import io.nnft.training.UnfreezeStep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code nnft train}: nnU-Net's training loop on a preprocessed folder, with fine-tuning controls. The output
 * folder becomes an nnU-Net model folder (plans.json, dataset.json, fold_F/checkpoint_*.pth, training_log.json,
 * progress.png).
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train or fine-tune a PlainConvUNet on preprocessed data (nnU-Net's loop and defaults).")
public final class TrainCommand implements Callable<Integer> {
    /** Where checkpoints go: atomic writes; crash tests build the command with one that stops mid-way. */
    final CheckpointWriter writer;

    public TrainCommand() {
        this(CheckpointWriter.ATOMIC);
    }

    public TrainCommand(CheckpointWriter writer) {
        this.writer = writer;
    }

    @Option(names = "--task", defaultValue = "segmentation",
            description = "segmentation (nnU-Net) | classification (a head on the encoder; needs --labels)")
    String task;

    @Mixin
    ClassificationTrainOptions classification = new ClassificationTrainOptions();

    @Option(names = "--preprocessed", required = true, description = "folder of preprocessed cases (<case>.npy, _seg.npy, .json)")
    Path preprocessed;

    @Option(names = "--plans", required = true, description = "nnUNetPlans.json")
    Path plans;

    @Option(names = "--configuration", required = true, description = "e.g. 3d_fullres")
    String configuration;

    @Option(names = "--fold", required = true, description = "0..4 or all")
    String fold;

    @Option(names = "--output", required = true, description = "model folder to write (nnU-Net layout)")
    Path output;

    @Option(names = "--pretrained", description = "checkpoint .pth or nnU-Net model folder to start from")
    Path pretrained;

    @Option(names = "--splits", description = "splits_final.json (default: the one beside the data, else nnU-Net's 5-fold)")
    Path splits;

    @Option(names = "--dataset-json", description = "default: dataset.json beside the data")
    Path datasetJson;

    @Option(names = "--epochs", defaultValue = "1000", description = "default: ${DEFAULT-VALUE}")
    int epochs;

    @Option(names = "--iterations-per-epoch", defaultValue = "250", description = "default: ${DEFAULT-VALUE}")
    int iterations;

    @Option(names = "--validation-iterations", defaultValue = "50", description = "default: ${DEFAULT-VALUE}")
    int validationIterations;

    @Option(names = "--patience", description = "early stopping: epochs without EMA pseudo-Dice improvement (default: off)")
    Integer patience;

    @Option(names = "--min-delta", defaultValue = "0", description = "early stopping: smallest improvement (default: ${DEFAULT-VALUE})")
    double minDelta;

    @Option(names = "--max-skipped-steps", defaultValue = "5", description = "steps in a row with a NaN/infinite loss "
            + "or gradient norm (skipped, not applied) before training stops as diverged (default: ${DEFAULT-VALUE})")
    int maxSkippedSteps;

    @Option(names = "--lr", description = "initial learning rate, poly-decayed (default: 0.01; classification with "
            + "adamw: 0.001)")
    Double lr;

    @Option(names = "--encoder-lr-factor", defaultValue = "1", description = "encoder LR = --lr × this (default: ${DEFAULT-VALUE})")
    double encoderLrFactor;

    @Option(names = "--checkpoint-every", defaultValue = "1", description = "write checkpoint_latest every N epochs (default: ${DEFAULT-VALUE})")
    int checkpointEvery;

    @Option(names = "--batch-size", description = "default: the configuration's batch_size")
    Integer batchSize;

    @Option(names = "--freeze", defaultValue = "none", description = "none | encoder | all-but-seg-head | prefixes:P1,P2")
    String freeze;

    @Option(names = "--keep-norm-trainable", description = "keep InstanceNorm parameters trainable inside frozen parts")
    boolean keepNormTrainable;

    @Option(names = "--freeze-schedule", description = "JSON list of {epoch, unfreezePrefixes, lrFactor, warmupEpochs}")
    Path freezeSchedule;

    @Option(names = "--resume", description = "continue from fold_F/checkpoint_latest.pth")
    boolean resume;

    @Option(names = "--deterministic", description = "fixed seed (12345 unless --seed), reproducible losses on CPU")
    boolean deterministic;

    @Option(names = "--seed", description = "seed for sampling, augmentation and initialisation")
    Long seed;

    @Option(names = "--data-threads", description = "background threads producing batches (default: cores / 2, at most 4)")
    Integer dataThreads;

    @Option(names = "--threads", description = "intra-op threads of libtorch (default: libtorch's choice)")
    Integer threads;

    @Option(names = "--no-augment", description = "no data augmentation (like nnUNetTrainerNoDA)")
    boolean noAugment;

    @Option(names = "--no-final-validation", description = "skip nnU-Net's final validation (sliding-window prediction "
            + "of the fold's validation cases against gt_segmentations/ beside the data, real Dice)")
    boolean noFinalValidation;

    @Option(names = "--no-progress-bar", description = "one line per epoch instead of a progress bar")
    boolean noProgressBar;

    @Override
    public Integer call() throws IOException {
        if (threads != null) {
            System.setProperty("ai.djl.pytorch.num_threads", threads.toString());
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        if (task.equals("classification")) {
            List<UnfreezeStep> schedule;
            try {
                schedule = freezeSchedule == null ? List.of() : FreezeSettings.readSchedule(freezeSchedule);
            } catch (IllegalArgumentException e) {
                throw new BadInputException(e.getMessage(), e);
            }
            return ClassificationTraining.run(this, new FreezeSettings(freeze, keepNormTrainable, schedule));
        }
        if (!task.equals("segmentation")) {
            throw new BadInputException("--task: expected segmentation or classification, found '" + task + "'");
        }
        if (classification.anyGiven()) {
            throw new BadInputException("--labels and the head/optimizer options need --task classification");
        }
        TrainingSettings s;
        TrainingInputs in;
        try {
            List<UnfreezeStep> schedule = freezeSchedule == null ? List.of() : FreezeSettings.readSchedule(freezeSchedule);
            s = new TrainingSettings().epochs(epochs).iterationsPerEpoch(iterations)
                    .validationIterations(validationIterations).patience(patience).minDelta(minDelta).initialLr(lr == null ? 0.01 : lr)
                    .checkpointEvery(checkpointEvery).batchSize(batchSize).seed(seed).deterministic(deterministic)
                    .augment(!noAugment).encoderLrFactor(encoderLrFactor).finalValidation(!noFinalValidation)
                    .maxSkippedSteps(maxSkippedSteps)
                    .freeze(new FreezeSettings(freeze, keepNormTrainable, schedule));
            if (dataThreads != null) {
                s.dataThreads(dataThreads);
            }
            in = new TrainingInputs(preprocessed, plans, configuration, fold, output, pretrained, datasetJson, splits, resume);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        TrainingResult<EpochRecord> r;
        try {
            // Without a terminal a redrawn bar is just noise in the log: one line per epoch instead.
            try (SegmentationTask task = SegmentationTask.open(in, s)) {
                r = Trainer.train(task, new TrainingConsole(!noProgressBar && System.console() != null),
                        StepDecorator.NONE, writer);
            }
        } catch (IllegalArgumentException | io.nnft.planning.PlansException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        summary(r);
        return 0;
    }

    private static void summary(TrainingResult<EpochRecord> r) {
        double time = 0;
        double wait = 0;
        for (EpochRecord e : r.log()) {
            time += e.epochTimeSeconds();
            wait += e.dataWaitSeconds();
        }
        System.out.printf(Locale.ROOT, "%s after %d epochs this run (last epoch %d); best EMA pseudo-Dice %.4f at epoch %d%n",
                r.stopReason(), r.epochsRun(), r.lastEpoch(), r.bestEma(), r.bestEpoch());
        if (!r.log().isEmpty()) {
            EpochRecord last = r.log().get(r.log().size() - 1);
            System.out.printf(Locale.ROOT, "last epoch: train loss %.4f, val loss %.4f, pseudo-Dice %s%n", last.trainLoss(),
                    last.valLoss(), java.util.Arrays.toString(last.pseudoDice()));
            System.out.printf(Locale.ROOT, "mean epoch time %.2f s (waiting for data %.1f%%)%n",
                    time / Math.max(1, r.log().size()), time > 0 ? 100 * wait / time : 0);
        }
        if (r.finalValidationDice() != null) {
            System.out.printf(Locale.ROOT, "final validation: mean foreground Dice %.4f (%s)%n", r.finalValidationDice(),
                    r.foldDirectory().resolve("validation").resolve("summary.json"));
        } else {
            System.out.println("final validation: not run");
        }
        System.out.println("model folder: " + r.foldDirectory().getParent() + " (" + r.foldDirectory().getFileName() + ")");
    }
}
