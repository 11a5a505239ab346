package io.nnft.training;

import ai.djl.ndarray.NDManager;
import io.nnft.checkpoint.NnUNetCheckpoint;
import io.nnft.network.ConvBackwardRepair;
import io.nnft.network.NamedParameter;
import io.nnft.network.Networks;
import io.nnft.network.ParamGroup;
import io.nnft.network.ParameterReport;
import io.nnft.network.PolyLRSchedule;
import io.nnft.network.StateDict;
import io.nnft.network.TrainStep;
import io.nnft.training.data.Batch;
import io.nnft.training.data.BatchStream;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The one fine-tuning loop (nnUNetTrainer.run_training) for every task: per epoch the poly LR per parameter group
 * (× the freeze schedule's factor), {@code iterationsPerEpoch} train steps on background-produced batches, the
 * task's validation, checkpoint_best when the monitored metric improves, checkpoint_latest every
 * {@code checkpointEvery} epochs, early stopping, cancel, exact resume, and checkpoint_final. What differs — the
 * network, the objective, validation, what a checkpoint and the model folder carry — is the {@link TrainingTask}'s.
 *
 * <p>A step with a non-finite loss or gradient norm is skipped (see {@link DivergenceGuard}); too many in a row, or
 * an epoch whose mean train loss or validation loss is not finite, end the run with a
 * {@link TrainingDivergedException}: training_log.json says "diverged", no checkpoint is written from that epoch
 * on, and checkpoint_latest.pth of the last good epoch stays resumable.
 */
public final class Trainer {
    public static final String TRAINER_NAME = "nnUNetTrainer";
    public static final String SEED_KEY = "nnft_seed";
    public static final String LOG_KEY = "nnft_training_log";
    /** training_log.json's stop_reason of a run that ended with a {@link TrainingDivergedException}. */
    public static final String DIVERGED = "diverged";

    private Trainer() {
    }

    /** nnU-Net segmentation training. */
    public static TrainingResult<EpochRecord> train(TrainingInputs in, TrainingSettings s, TrainingListener listener)
            throws IOException {
        return train(in, s, listener, StepDecorator.NONE);
    }

    /** @param faults replaces the batches of chosen iterations; tests only, production passes {@link StepDecorator#NONE} */
    public static TrainingResult<EpochRecord> train(TrainingInputs in, TrainingSettings s, TrainingListener listener,
                                                    StepDecorator faults) throws IOException {
        try (SegmentationTask task = SegmentationTask.open(in, s)) {
            return train(task, listener, faults, CheckpointWriter.ATOMIC);
        }
    }

    /**
     * @param faults replaces the batches of chosen iterations, and {@code writer} where checkpoints go; tests only:
     *               production passes {@link StepDecorator#NONE} and {@link CheckpointWriter#ATOMIC}
     */
    public static <R extends EpochSummary> TrainingResult<R> train(TrainingTask<R> task, TrainingListener listener,
                                                                   StepDecorator faults, CheckpointWriter writer)
            throws IOException {
        LoopSettings s = task.settings();
        Path foldDir = task.foldDirectory();
        Path latest = foldDir.resolve(FoldFolder.LATEST);
        NnUNetCheckpoint resumeFrom = FoldFolder.prepare(foldDir, task.resume());
        if (resumeFrom != null) {
            task.checkResumable(resumeFrom, latest);
        }
        long seed = resumeFrom != null && resumeFrom.extras().get(SEED_KEY) instanceof Number n ? n.longValue()
                : s.seed() != null ? s.seed()
                : task.defaultSeed() != null ? task.defaultSeed() : new Random().nextInt(Integer.MAX_VALUE);
        task.prepare(seed, listener);

        Networks.engine().setRandomSeed((int) (seed & 0x7fffffff));
        try (NDManager manager = Networks.engine().newBaseManager()) {
            TrainingTask.Model model = task.createModel(manager);
            List<NamedParameter> parameters = new ArrayList<>(StateDict.parameters(model.network()).values());
            int startEpoch = 0;
            double best = Double.NaN;
            List<R> log = new ArrayList<>();
            if (resumeFrom != null) {
                String where = latest.toString();
                StateDict.load(model.network(), resumeFrom.canonicalWeights(), where + " network_weights");
                if (resumeFrom.optimizerState() != null) {
                    model.optimizer().restore(resumeFrom.optimizerState(), parameters, where);
                }
                startEpoch = resumeFrom.currentEpoch();
                best = resumeFrom.bestEma() == null ? Double.NaN : resumeFrom.bestEma();
                // our own log when we wrote the checkpoint, else what an nnU-Net checkpoint's logger holds
                log = new ArrayList<>(resumeFrom.extras().get(LOG_KEY) instanceof String json
                        ? TrainingLogFile.parse(json, where + " " + LOG_KEY, task::readEpoch)
                        : task.nnUNetLog(resumeFrom));
                listener.message("resumed from " + latest + " at epoch " + startEpoch);
            } else {
                task.loadPretrained(listener);
            }
            TrainStep step = new TrainStep(model.network(), model.objective(), model.optimizer(), s.maxGradNorm(),
                    manager);
            // Decided (and its probe run) before the first step, and said where the user reads the run.
            listener.message("conv backward repair: " + ConvBackwardRepair.reason());
            FreezeController freeze = new FreezeController(model.network(), s.freeze());
            task.startValidation(seed, startEpoch, manager);

            EarlyStopping early = s.patience() == null ? null : new EarlyStopping(s.patience(), s.minDelta());
            if (early != null) {
                for (R r : log) {
                    early.update(improvement(task, task.monitored(r)));
                }
            }
            Checkpoints<R> ckpt = new Checkpoints<>(task, model, parameters, seed, writer);
            DivergenceGuard divergence = new DivergenceGuard(s.maxSkippedSteps());
            String stop = "completed";
            int epoch = startEpoch;
            try (BatchStream trainStream = new BatchStream(task.trainBatches(seed),
                    (long) startEpoch * s.iterationsPerEpoch(), s.dataThreads(), s.prefetch())) {
                for (; epoch < s.epochs(); epoch++) {
                    if (freeze.apply(epoch)) {
                        listener.parameterReport(epoch, ParameterReport.of(model.network()));
                    }
                    if (freeze.trainable().isEmpty()) {
                        throw new IllegalArgumentException("freeze: at epoch " + epoch + " every parameter is frozen; "
                                + "expected at least one tensor to train (the head or the decoder)");
                    }
                    double factor = s.freeze().lrFactor(epoch);
                    for (ParamGroup g : model.optimizer().groups()) {
                        g.setLr(PolyLRSchedule.lr(g.initialLr(), epoch, s.epochs()) * factor);
                    }
                    double start = now();
                    listener.epochStarted(epoch, s.epochs(), s.iterationsPerEpoch());
                    double trainLossSum = 0;
                    int applied = 0;
                    boolean cancelled = false;
                    for (int it = 0; it < s.iterationsPerEpoch(); it++) {
                        if (listener.cancelRequested()) {
                            cancelled = true;
                            break;
                        }
                        Batch b = faults.beforeStep(epoch, it, trainStream.next());
                        TrainStep.Result r = step.run(b.data(), b.targets());
                        if (divergence.step(epoch, it, r.loss(), r.gradNormBeforeClip(), r.applied())) {
                            trainLossSum += r.loss();
                            applied++;
                        } else {
                            listener.message(divergence.skippedMessage(epoch, it, r.loss(), r.gradNormBeforeClip()));
                        }
                        listener.iterationDone(epoch, it, r.loss());
                    }
                    if (cancelled) {
                        stop = "cancelled";
                        break;
                    }
                    // The mean of the applied steps: a skipped step's NaN says nothing about the weights.
                    double trainLoss = applied == 0 ? Double.NaN : trainLossSum / applied;
                    DivergenceGuard.checkEpoch(epoch, s.iterationsPerEpoch() - 1, "train loss", trainLoss);
                    R rec = task.endEpoch(new TrainingTask.EpochStart(epoch, trainLoss, model.optimizer().groups(), start,
                            trainStream.takeWaitNanos() / 1e9, freeze.trainable().size()), log);
                    // Other scores may be NaN legitimately (no foreground seen yet, one class among the cases).
                    DivergenceGuard.checkEpoch(epoch, s.iterationsPerEpoch() - 1, "validation loss", rec.valLoss());
                    log.add(rec);
                    // nnU-Net's on_epoch_end: best first, then latest.
                    double value = task.monitored(rec);
                    if (!Double.isNaN(value) && (Double.isNaN(best) || (task.minimised() ? value < best : value > best))) {
                        best = value;
                        ckpt.save(foldDir.resolve("checkpoint_best.pth"), epoch + 1, best, log, null);
                        listener.message(String.format(Locale.ROOT, "epoch %d: new best %s %.4f", epoch,
                                label(task.metric()), value));
                    }
                    boolean stopNow = early != null && early.update(improvement(task, value));
                    if ((epoch + 1) % s.checkpointEvery() == 0 && epoch != s.epochs() - 1 && !stopNow) {
                        ckpt.save(latest, epoch + 1, best, log, null);
                    }
                    TrainingLogFile.write(foldDir.resolve("training_log.json"),
                            TrainingLogFile.toJson(task.logHeader(), log, null));
                    ProgressPlot.write(foldDir.resolve("progress.png"), log);
                    double meanEpoch = log.stream().skip(Math.max(0, log.size() - 5))
                            .mapToDouble(EpochSummary::epochTimeSeconds).average().orElse(0);
                    listener.epochEnded(rec, task.classNames(), s.epochs(), meanEpoch * (s.epochs() - epoch - 1));
                    writer.epochRecorded(epoch + 1);
                    if (stopNow) {
                        stop = "early_stopping";
                        listener.message("early stopping at epoch " + epoch + ": " + label(task.metric())
                                + " did not improve by more than " + s.minDelta() + " for " + early.patience()
                                + " epochs");
                        epoch++;
                        break;
                    }
                }
            } catch (TrainingDivergedException e) {
                // Nothing from the diverged epoch is kept: training_log.json lists the good epochs and says why
                // it stopped; checkpoint_latest.pth is the last good epoch's, to resume from.
                TrainingLogFile.write(foldDir.resolve("training_log.json"),
                        TrainingLogFile.toJson(task.logHeader(), log, DIVERGED));
                listener.message(e.getMessage() + " (" + divergence.skippedSteps() + " steps skipped); "
                        + latest + " holds the last good epoch");
                throw e;
            }
            int lastEpoch = log.isEmpty() ? -1 : log.get(log.size() - 1).epoch();
            if (!stop.equals("cancelled")) {
                ckpt.save(foldDir.resolve("checkpoint_final.pth"), lastEpoch + 1, best, log, stop);
                ckpt.save(latest, lastEpoch + 1, best, log, stop);
            }
            TrainingLogFile.write(foldDir.resolve("training_log.json"),
                    TrainingLogFile.toJson(task.logHeader(), log, stop));
            int bestEpoch = -1;
            double bestValue = Double.NaN;
            for (R r : log) {
                double v = task.monitored(r);
                if (!Double.isNaN(v) && (bestEpoch < 0 || (task.minimised() ? v < bestValue : v > bestValue))) {
                    bestValue = v;
                    bestEpoch = r.epoch();
                }
            }
            Double finalDice = stop.equals("cancelled") ? null : task.finish(listener);
            TrainingResult<R> result = new TrainingResult<>(stop, epoch - startEpoch, lastEpoch, task.metric(), best,
                    bestEpoch, List.copyOf(log), foldDir, task.classNames(), finalDice, divergence.skippedSteps());
            listener.finished(result);
            return result;
        }
    }

    /** EarlyStopping maximises: a minimised metric is fed negated. */
    private static double improvement(TrainingTask<?> task, double v) {
        return task.minimised() ? -v : v;
    }

    /** How messages name a metric: nnU-Net's words for its own, the TrainingProgress name for the others. */
    private static String label(String metric) {
        return metric.equals("ema_pseudo_dice") ? "EMA pseudo-Dice" : metric;
    }

    static double now() {
        return System.currentTimeMillis() / 1000.0;
    }

    /** Everything a checkpoint write needs; the task adds its part. */
    private record Checkpoints<R extends EpochSummary>(TrainingTask<R> task, TrainingTask.Model model,
                                                      List<NamedParameter> parameters, long seed,
                                                      CheckpointWriter writer) {
        void save(Path file, int currentEpoch, double best, List<R> log, String stop) throws IOException {
            NnUNetCheckpoint c = new NnUNetCheckpoint();
            task.describe(c, log);
            c.setOptimizerState(model.optimizer().state(parameters));
            c.setBestEma(Double.isNaN(best) ? null : best);
            c.setCurrentEpoch(currentEpoch);
            c.extras().put(SEED_KEY, seed);
            c.extras().put(LOG_KEY, TrainingLogFile.toJson(task.logHeader(), log, stop));
            writer.write(c, file, currentEpoch);
        }
    }
}
