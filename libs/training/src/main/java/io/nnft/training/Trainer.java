package io.nnft.training;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nnft.imageio.AtomicFiles;
import io.nnft.checkpoint.NnUNetCheckpoint;
import io.nnft.checkpoint.TrainingLog;
import io.nnft.checkpoint.pickle.TorchDevice;
import io.nnft.network.DeepSupervision;
import io.nnft.network.DeepSupervisionLoss;
import io.nnft.network.NesterovSgd;
import io.nnft.network.Networks;
import io.nnft.network.ParamGroup;
import io.nnft.network.ParameterReport;
import io.nnft.network.PlainConvUNet;
import io.nnft.network.PlainConvUNetConfig;
import io.nnft.network.PolyLRSchedule;
import io.nnft.network.StateDict;
import io.nnft.network.TrainStep;
import io.nnft.planning.ConfigurationPlan;
import io.nnft.planning.Plans;
import io.nnft.training.augment.AugmentationPipeline;
import io.nnft.training.data.Batch;
import io.nnft.training.data.BatchGenerator;
import io.nnft.training.data.BatchStream;
import io.nnft.training.data.PatchSampler;
import io.nnft.training.data.PatchSizes;
import io.nnft.training.data.PreprocessedDataset;
import io.nnft.training.data.Splits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * nnU-Net's training loop (nnUNetTrainer.run_training) with fine-tuning controls: per epoch the poly LR (×
 * the freeze schedule's factor), {@code iterationsPerEpoch} train steps on background-produced batches,
 * {@code validationIterations} validation steps, pseudo-Dice and its EMA, checkpoint_best when the EMA
 * improves, checkpoint_latest every {@code checkpointEvery} epochs, early stopping, and checkpoint_final.
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
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Trainer() {
    }

    public static TrainingResult train(TrainingInputs in, TrainingSettings s, TrainingListener listener)
            throws IOException {
        return train(in, s, listener, StepDecorator.NONE);
    }

    /** @param faults replaces the batches of chosen iterations; tests only, production passes {@link StepDecorator#NONE} */
    public static TrainingResult train(TrainingInputs in, TrainingSettings s, TrainingListener listener,
                                       StepDecorator faults) throws IOException {
        // ---- inputs
        if (!Files.isRegularFile(in.plans())) {
            throw new IllegalArgumentException("--plans: expected an nnUNetPlans.json file, found nothing at " + in.plans());
        }
        Plans plans = Plans.read(in.plans());
        ConfigurationPlan conf = plans.configuration(in.configuration());
        int[] patch = conf.patchSize();
        if (patch.length != 3) {
            throw new IllegalArgumentException(in.plans() + ": configuration '" + in.configuration() + "' has patch size "
                    + Arrays.toString(patch) + "; this trainer handles 3D configurations only");
        }
        Path datasetJsonFile = in.resolvedDatasetJson();
        if (datasetJsonFile == null) {
            throw new IllegalArgumentException("dataset.json: expected one in " + in.preprocessed() + ", its parent or "
                    + "beside the plans, found none");
        }
        JsonNode datasetJson = MAPPER.readTree(datasetJsonFile.toFile());
        JsonNode plansJson = MAPPER.readTree(in.plans().toFile());
        List<String> classNames = foregroundClassNames(datasetJson.get("labels"), datasetJsonFile);
        int heads = PlainConvUNetConfig.segmentationHeadsFromLabels(datasetJson.get("labels"), datasetJsonFile.toString());
        PlainConvUNetConfig config = PlainConvUNetConfig.fromPlans(plansJson, in.configuration(), heads, true,
                in.plans().toString());
        PreprocessedDataset dataset = PreprocessedDataset.open(in.preprocessed());
        Integer foldNumber = Splits.parseFold(in.fold());
        Splits.Fold fold = Splits.select(dataset.ids(), foldNumber, in.resolvedSplitsFile());
        int batchSize = s.batchSize() != null ? s.batchSize() : conf.batchSize();

        Path foldDir = in.foldDirectory();
        Path latest = foldDir.resolve(FoldFolder.LATEST);
        NnUNetCheckpoint resumeFrom = FoldFolder.prepare(foldDir, in.resume());
        long seed = resumeFrom != null && resumeFrom.extras().get(SEED_KEY) != null
                ? ((Number) resumeFrom.extras().get(SEED_KEY)).longValue()
                : s.seed() != null ? s.seed() : s.deterministic() ? 12345L : new java.util.Random().nextInt(Integer.MAX_VALUE);
        AtomicFiles.copy(in.plans(), in.outputDir().resolve("plans.json"));
        AtomicFiles.copy(datasetJsonFile, in.outputDir().resolve("dataset.json"));

        if (s.epochs() < TrainingSettings.SHORT_SCHEDULE_WARNING_EPOCHS) {
            listener.message("WARNING: " + s.epochs() + " epochs is under nnU-Net's " + 1000 + " (and under "
                    + TrainingSettings.SHORT_SCHEDULE_WARNING_EPOCHS + "): shorter schedules usually cost Dice");
        }
        listener.message("fold " + in.fold() + ": " + fold.train().size() + " training cases, " + fold.val().size()
                + " validation cases; seed " + seed + "; batch " + batchSize + ", patch " + Arrays.toString(patch));

        Networks.engine().setRandomSeed((int) (seed & 0x7fffffff));
        try (NDManager manager = Networks.engine().newBaseManager()) {
            PlainConvUNet net = Networks.create(config, manager);
            // One group like nnU-Net unless the encoder gets its own LR (then the encoder group comes first).
            List<ParamGroup> groups = s.encoderLrFactor() == 1 ? List.of(ParamGroup.all(s.initialLr()))
                    : List.of(ParamGroup.encoder(s.initialLr() * s.encoderLrFactor()),
                    new ParamGroup("rest", k -> !k.startsWith("encoder."), s.initialLr()));
            NesterovSgd sgd = new NesterovSgd(manager, groups, s.momentum(), s.weightDecay());
            int startEpoch = 0;
            Double bestEma = null;
            List<EpochRecord> log = new ArrayList<>();
            if (resumeFrom != null) {
                String where = latest.toString();
                StateDict.load(net, resumeFrom.canonicalWeights(), where + " network_weights");
                if (resumeFrom.optimizerState() != null) {
                    sgd.restore(resumeFrom.optimizerState(), new ArrayList<>(StateDict.parameters(net).values()), where);
                }
                startEpoch = resumeFrom.currentEpoch();
                bestEma = resumeFrom.bestEma();
                log = restoreLog(resumeFrom, where);
                listener.message("resumed from " + latest + " at epoch " + startEpoch);
            } else if (in.pretrained() != null) {
                PretrainedWeights.Report r = PretrainedWeights.load(net, in.pretrained());
                listener.message("pretrained: " + r.loaded() + " tensors from " + r.checkpoint()
                        + (r.reinitialised().isEmpty() ? "" : "; segmentation heads re-initialised (label count differs): "
                        + r.reinitialised()));
            }
            DeepSupervisionLoss loss = DeepSupervisionLoss.nnUNetDefault(net.numOutputs(), conf.batchDice(), null);
            TrainStep step = new TrainStep(net, loss, sgd, s.maxGradNorm(), manager);
            // Decided (and its probe run) before the first step, and said where the user reads the run.
            listener.message("conv backward repair: " + io.nnft.network.ConvBackwardRepair.reason());
            ValidationStep validation = new ValidationStep(net, loss, manager);
            FreezeController freeze = new FreezeController(net, s.freeze());

            double[][] dsScales = DeepSupervision.scales(config.strides());
            int[] loaderPatch = s.augment() ? PatchSizes.initialPatchSize(patch) : patch;
            BatchGenerator trainGen = new BatchGenerator(dataset, fold.train(), batchSize,
                    new PatchSampler(loaderPatch, patch, s.oversampleForeground()),
                    s.augment() ? AugmentationPipeline.nnUNetTraining(patch, conf.useMaskForNorm())
                            : AugmentationPipeline.validation(), dsScales, seed);
            BatchGenerator valGen = new BatchGenerator(dataset, fold.val(), batchSize,
                    new PatchSampler(patch, patch, s.oversampleForeground()), AugmentationPipeline.validation(), dsScales,
                    seed ^ 0x5DEECE66DL);

            EarlyStopping early = s.patience() == null ? null : new EarlyStopping(s.patience(), s.minDelta());
            if (early != null) {
                for (EpochRecord r : log) {
                    early.update(r.emaPseudoDice());
                }
            }
            CheckpointContext ctx = new CheckpointContext(net, sgd, s, plansJson, in.configuration(),
                    foldNumber == null ? "all" : foldNumber, datasetJson, seed, classNames);
            DivergenceGuard divergence = new DivergenceGuard(s.maxSkippedSteps());
            String stop = "completed";
            int epoch = startEpoch;
            try (BatchStream trainStream = new BatchStream(trainGen::generate,
                    (long) startEpoch * s.iterationsPerEpoch(), s.dataThreads(), s.prefetch());
                 BatchStream valStream = new BatchStream(valGen::generate,
                         (long) startEpoch * s.validationIterations(), 1, Math.min(s.prefetch(), 2))) {
                for (; epoch < s.epochs(); epoch++) {
                    if (freeze.apply(epoch)) {
                        listener.parameterReport(epoch, ParameterReport.of(net));
                    }
                    double factor = s.freeze().lrFactor(epoch);
                    for (ParamGroup g : groups) {
                        g.setLr(PolyLRSchedule.lr(g.initialLr(), epoch, s.epochs()) * factor);
                    }
                    double lr = groups.get(groups.size() - 1).lr();
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
                    PseudoDice dice = new PseudoDice(heads);
                    double valLossSum = 0;
                    for (int it = 0; it < s.validationIterations(); it++) {
                        valLossSum += validation.run(valStream.next(), dice);
                    }
                    double valLoss = valLossSum / s.validationIterations();
                    DivergenceGuard.checkEpoch(epoch, s.iterationsPerEpoch() - 1, "validation loss", valLoss);
                    double[] perClass = dice.perClass();
                    double mean = PseudoDice.nanMean(perClass);
                    Double prevEma = log.isEmpty() ? null : log.get(log.size() - 1).emaPseudoDice();
                    double ema = PseudoDice.ema(prevEma, mean);
                    double wait = (trainStream.takeWaitNanos() + valStream.takeWaitNanos()) / 1e9;
                    EpochRecord rec = new EpochRecord(epoch, trainLoss, valLoss, perClass, mean, ema, lr, start, now(),
                            wait, freeze.trainable().size());
                    log.add(rec);
                    // nnU-Net's on_epoch_end: best first, then latest. A NaN EMA (no foreground class seen yet) is
                    // no score: it neither becomes the best nor blocks a later one.
                    if (!Double.isNaN(ema) && (bestEma == null || bestEma.isNaN() || ema > bestEma)) {
                        bestEma = ema;
                        ctx.save(foldDir.resolve("checkpoint_best.pth"), epoch + 1, bestEma, log, null);
                        listener.message(String.format("epoch %d: new best EMA pseudo-Dice %.4f", epoch, ema));
                    }
                    boolean stopNow = early != null && early.update(ema);
                    if ((epoch + 1) % s.checkpointEvery() == 0 && epoch != s.epochs() - 1 && !stopNow) {
                        ctx.save(latest, epoch + 1, bestEma, log, null);
                    }
                    TrainingLogFile.write(foldDir.resolve("training_log.json"), TrainingLogFile.toJson(log, classNames, null));
                    ProgressPlot.write(foldDir.resolve("progress.png"), log);
                    double meanEpoch = log.stream().skip(Math.max(0, log.size() - 5)).mapToDouble(EpochRecord::epochTimeSeconds)
                            .average().orElse(0);
                    listener.epochEnded(rec, s.epochs(), meanEpoch * (s.epochs() - epoch - 1));
                    KillTestHooks.afterEpoch(epoch + 1);
                    if (stopNow) {
                        stop = "early_stopping";
                        listener.message("early stopping at epoch " + epoch + ": EMA pseudo-Dice did not improve by more than "
                                + s.minDelta() + " for " + early.patience() + " epochs");
                        epoch++;
                        break;
                    }
                }
            } catch (TrainingDivergedException e) {
                // Nothing from the diverged epoch is kept: training_log.json lists the good epochs and says why
                // it stopped; checkpoint_latest.pth is the last good epoch's, to resume from.
                TrainingLogFile.write(foldDir.resolve("training_log.json"),
                        TrainingLogFile.toJson(log, classNames, DIVERGED));
                listener.message(e.getMessage() + " (" + divergence.skippedSteps() + " steps skipped); "
                        + latest + " holds the last good epoch");
                throw e;
            }
            int lastEpoch = log.isEmpty() ? -1 : log.get(log.size() - 1).epoch();
            if (!stop.equals("cancelled")) {
                ctx.save(foldDir.resolve("checkpoint_final.pth"), lastEpoch + 1, bestEma, log, stop);
                ctx.save(latest, lastEpoch + 1, bestEma, log, stop);
            }
            TrainingLogFile.write(foldDir.resolve("training_log.json"), TrainingLogFile.toJson(log, classNames, stop));
            int bestEpoch = -1;
            double best = Double.NEGATIVE_INFINITY;
            for (EpochRecord r : log) {
                if (r.emaPseudoDice() > best) {
                    best = r.emaPseudoDice();
                    bestEpoch = r.epoch();
                }
            }
            Double finalDice = null;
            if (!stop.equals("cancelled") && s.finalValidation()) {
                finalDice = FinalValidationStep.run(in, fold.val(), s.dataThreads(), listener);
            }
            TrainingResult result = new TrainingResult(stop, epoch - startEpoch, lastEpoch,
                    bestEma == null ? Double.NaN : bestEma, bestEpoch, List.copyOf(log), foldDir, finalDice,
                    divergence.skippedSteps());
            listener.finished(result);
            return result;
        }
    }

    private static List<EpochRecord> restoreLog(NnUNetCheckpoint c, String where) {
        Object text = c.extras().get(LOG_KEY);
        if (text instanceof String json) {
            return new ArrayList<>(TrainingLogFile.parse(json, where + " " + LOG_KEY));
        }
        // An nnU-Net checkpoint: rebuild from its logger lists.
        TrainingLog l = c.logging();
        List<Double> train = l.series(TrainingLog.TRAIN_LOSSES);
        List<Double> val = l.series(TrainingLog.VAL_LOSSES);
        List<Double> mean = l.series(TrainingLog.MEAN_FG_DICE);
        List<Double> ema = l.series(TrainingLog.EMA_FG_DICE);
        List<Double> lrs = l.series(TrainingLog.LRS);
        List<Double> t0 = l.series(TrainingLog.EPOCH_START_TIMESTAMPS);
        List<Double> t1 = l.series(TrainingLog.EPOCH_END_TIMESTAMPS);
        List<List<Double>> dice = l.dicePerClassOrRegion();
        List<EpochRecord> out = new ArrayList<>();
        for (int i = 0; i < ema.size(); i++) {
            out.add(new EpochRecord(i, train.get(i), val.get(i), dice.get(i).stream().mapToDouble(Double::doubleValue).toArray(),
                    mean.get(i), ema.get(i), lrs.get(i), t0.get(i), t1.get(i), 0, 0));
        }
        return out;
    }

    private static List<String> foregroundClassNames(JsonNode labels, Path where) {
        if (labels == null || !labels.isObject()) {
            throw new IllegalArgumentException(where + ": expected a 'labels' object");
        }
        String[] names = new String[labels.size()];
        for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int v = e.getValue().asInt(-1);
            if (v > 0 && v < names.length) {
                names[v] = e.getKey();
            }
        }
        List<String> out = new ArrayList<>();
        for (int i = 1; i < names.length; i++) {
            out.add(names[i] == null ? Integer.toString(i) : names[i]);
        }
        return out;
    }

    private static double now() {
        return System.currentTimeMillis() / 1000.0;
    }

    /** Everything a checkpoint write needs. */
    private record CheckpointContext(PlainConvUNet net, NesterovSgd sgd, TrainingSettings s,
                                     JsonNode plansJson, String configuration, Object fold, JsonNode datasetJson,
                                     long seed, List<String> classNames) {
        void save(Path file, int currentEpoch, Double bestEma, List<EpochRecord> log, String stop) throws IOException {
            NnUNetCheckpoint c = new NnUNetCheckpoint();
            c.setCanonicalWeights(StateDict.exportCanonical(net));
            c.setOptimizerState(sgd.state(new ArrayList<>(StateDict.parameters(net).values())));
            TrainingLog tl = TrainingLog.empty();
            for (EpochRecord r : log) {
                tl.addEpoch(r.meanPseudoDice(), r.emaPseudoDice(), r.pseudoDice(), (float) r.trainLoss(),
                        (float) r.valLoss(), r.lr(), r.epochStartSeconds(), r.epochEndSeconds());
            }
            c.setLogging(tl);
            c.setBestEma(bestEma);
            c.setCurrentEpoch(currentEpoch);
            c.setInitArgs(NnUNetCheckpoint.initArgs(plansJson, configuration, fold, datasetJson, TorchDevice.cpu()));
            c.setTrainerName(TRAINER_NAME);
            c.setInferenceAllowedMirroringAxes(List.of(0, 1, 2));
            c.extras().put(SEED_KEY, seed);
            c.extras().put(LOG_KEY, TrainingLogFile.toJson(log, classNames, stop));
            KillTestHooks.write(c, file, currentEpoch);
        }
    }

}
