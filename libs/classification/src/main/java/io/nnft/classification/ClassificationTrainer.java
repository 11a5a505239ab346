package io.nnft.classification;

import io.nnft.dataset.ClassLabels;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nnft.imageio.AtomicFiles;
import io.nnft.checkpoint.NnUNetCheckpoint;
import io.nnft.training.FoldFolder;
import io.nnft.network.AdamW;
import io.nnft.network.NamedParameter;
import io.nnft.network.NesterovSgd;
import io.nnft.network.Optimizer;
import io.nnft.network.TrainStep;
import io.nnft.network.Networks;
import io.nnft.network.ParamGroup;
import io.nnft.network.ParameterReport;
import io.nnft.network.PlainConvUNetConfig;
import io.nnft.network.PolyLRSchedule;
import io.nnft.network.StateDict;
import io.nnft.planning.ConfigurationPlan;
import io.nnft.planning.Plans;
import io.nnft.training.DivergenceGuard;
import io.nnft.training.EarlyStopping;
import io.nnft.training.StepDecorator;
import io.nnft.training.TrainingDivergedException;
import io.nnft.training.FreezeController;
import io.nnft.training.data.Batch;
import io.nnft.training.data.BatchStream;
import io.nnft.training.data.PreprocessedCase;
import io.nnft.training.data.PreprocessedDataset;
import io.nnft.training.data.Splits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Trains a classification head on nnU-Net's encoder (pretrained or fresh) with the segmentation trainer's
 * machinery: per epoch the poly LR per group (head = lr × headLrFactor, encoder = lr × encoderLrFactor, × the
 * freeze schedule's factor), {@code iterationsPerEpoch} steps on background-produced batches, a validation
 * pass over every validation case (centred window), the metrics, checkpoint_best when the monitored metric
 * improves, checkpoint_latest every {@code checkpointEvery} epochs, early stopping, checkpoint_final.
 *
 * <p>Divergence as in the segmentation trainer ({@link DivergenceGuard}): non-finite steps are skipped and counted;
 * too many in a row, or a non-finite mean train loss or validation loss, end the run with a
 * {@link TrainingDivergedException}, no checkpoint written from that epoch on and checkpoint_latest.pth of the last
 * good epoch kept for a resume.
 */
public final class ClassificationTrainer {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ClassificationTrainer() {
    }

    public static ClassificationResult train(ClassificationInputs in, ClassificationSettings s,
                                             ClassificationListener listener) throws IOException {
        return train(in, s, listener, StepDecorator.NONE);
    }

    /** @param faults replaces the batches of chosen iterations; tests only, production passes {@link StepDecorator#NONE} */
    public static ClassificationResult train(ClassificationInputs in, ClassificationSettings s,
                                             ClassificationListener listener, StepDecorator faults) throws IOException {
        // ---- inputs
        if (!Files.isRegularFile(in.plans())) {
            throw new IllegalArgumentException("--plans: expected the pretrained model's plans.json, found nothing at "
                    + in.plans());
        }
        Plans plans = Plans.read(in.plans());
        ConfigurationPlan conf = plans.configuration(in.configuration());
        int[] patch = conf.patchSize();
        if (patch.length != 3) {
            throw new IllegalArgumentException(in.plans() + ": configuration '" + in.configuration() + "' has patch size "
                    + Arrays.toString(patch) + "; classification handles 3D configurations only");
        }
        Path datasetJsonFile = in.resolvedDatasetJson();
        if (datasetJsonFile == null) {
            throw new IllegalArgumentException("dataset.json: expected one in " + in.preprocessed() + ", its parent or "
                    + "beside the plans, found none");
        }
        JsonNode datasetJson = MAPPER.readTree(datasetJsonFile.toFile());
        JsonNode plansJson = MAPPER.readTree(in.plans().toFile());
        PreprocessedDataset dataset = PreprocessedDataset.openImages(in.preprocessed());
        ClassLabels labels = ClassLabels.read(in.labelsCsv(), dataset.ids());
        List<String> classNames = labels.classNames();
        int classes = classNames.size();
        Splits.Fold fold = StratifiedSplit.select(labels, in.fold(), in.splitsFile());
        PlainConvUNetConfig config = PlainConvUNetConfig.fromPlans(plansJson, in.configuration(), 2, false,
                in.plans().toString());
        int channels = dataset.get(fold.train().get(0)).channels();
        if (channels != config.inputChannels()) {
            throw new IllegalArgumentException(in.preprocessed() + ": cases have " + channels + " channel(s), "
                    + in.plans() + " configuration '" + in.configuration() + "' expects " + config.inputChannels());
        }
        int batchSize = s.batchSize() != null ? s.batchSize() : conf.batchSize();
        double[] classWeights = s.classWeights();
        CrossEntropy ce = new CrossEntropy(classWeights, classes);

        Path foldDir = in.foldDirectory();
        Path latest = foldDir.resolve(FoldFolder.LATEST);
        NnUNetCheckpoint resumeFrom = FoldFolder.prepare(foldDir, in.resume());
        if (resumeFrom != null) {
            Object task = resumeFrom.extras().get(ClassifierCheckpoints.TASK_KEY);
            if (!"classification".equals(task)) {
                throw new IllegalArgumentException("--resume: " + latest + " is not a classifier checkpoint ("
                        + ClassifierCheckpoints.TASK_KEY + " = " + task + ")");
            }
            Object saved = resumeFrom.extras().get(ClassifierCheckpoints.CLASSES_KEY);
            if (saved instanceof List<?> l && !l.equals(classNames)) {
                throw new IllegalArgumentException("--resume: " + latest + " was trained on classes " + l + ", "
                        + in.labelsCsv() + " has " + classNames);
            }
        }
        long seed = resumeFrom != null && resumeFrom.extras().get(ClassifierCheckpoints.SEED_KEY) instanceof Number n
                ? n.longValue()
                : s.seed() != null ? s.seed() : new java.util.Random().nextInt(Integer.MAX_VALUE);
        AtomicFiles.copy(in.plans(), in.outputDir().resolve("plans.json"));
        AtomicFiles.copy(datasetJsonFile, in.outputDir().resolve("dataset.json"));

        listener.message("fold " + in.fold() + ": " + fold.train().size() + " training cases, " + fold.val().size()
                + " validation cases; classes " + classNames + "; seed " + seed + "; batch " + batchSize + ", patch "
                + Arrays.toString(patch) + "; " + s.optimizer().name().toLowerCase() + ", lr " + s.initialLr()
                + " (head x" + s.headLrFactor() + ", encoder x" + s.encoderLrFactor() + ")");

        Networks.engine().setRandomSeed((int) (seed & 0x7fffffff));
        try (NDManager manager = Networks.engine().newBaseManager()) {
            ClassifierNetwork net = ClassifierNetwork.create(config, s.head(), classes, manager);
            String headJson = ClassificationModel.describe(net, classNames, s.head(), in.configuration(), patch,
                    in.labelsCsv().getFileName().toString()).toPrettyString();
            Files.writeString(in.outputDir().resolve(ClassificationModel.FILE), headJson);
            ParamGroup encoderGroup = new ParamGroup("encoder", k -> k.startsWith(ClassifierNetwork.ENCODER_PREFIX),
                    s.initialLr() * s.encoderLrFactor());
            ParamGroup headGroup = new ParamGroup("head", k -> !k.startsWith(ClassifierNetwork.ENCODER_PREFIX),
                    s.initialLr() * s.headLrFactor());
            List<ParamGroup> groups = List.of(encoderGroup, headGroup);
            Optimizer optimizer = s.optimizer() == ClassificationSettings.Optimizer.ADAMW
                    ? new AdamW(manager, groups, s.momentum(), ClassificationSettings.ADAM_BETA2,
                    ClassificationSettings.ADAM_EPS, s.weightDecay())
                    : new NesterovSgd(manager, groups, s.momentum(), s.weightDecay());
            List<NamedParameter> params = new ArrayList<>(StateDict.parameters(net).values());
            int startEpoch = 0;
            Double best = null;
            List<ClassificationEpochRecord> log = new ArrayList<>();
            if (resumeFrom != null) {
                String where = latest.toString();
                StateDict.load(net, resumeFrom.canonicalWeights(), where + " network_weights");
                if (resumeFrom.optimizerState() != null) {
                    optimizer.restore(resumeFrom.optimizerState(), params, where);
                }
                startEpoch = resumeFrom.currentEpoch();
                best = resumeFrom.bestEma();
                Object text = resumeFrom.extras().get(ClassifierCheckpoints.LOG_KEY);
                if (text instanceof String json) {
                    log = new ArrayList<>(ClassificationLogFile.parse(json, where + " " + ClassifierCheckpoints.LOG_KEY));
                }
                listener.message("resumed from " + latest + " at epoch " + startEpoch);
            } else if (in.pretrained() != null) {
                Map.Entry<Path, Integer> r = PretrainedEncoder.load(net, in.pretrained());
                listener.message("pretrained encoder: " + r.getValue() + " tensors from " + r.getKey());
            } else {
                listener.message("no --pretrained: the encoder starts from nnU-Net's initialisation");
            }
            TrainStep step = new TrainStep(net, ce.objective(net), optimizer, s.maxGradNorm(), manager);
            // Decided (and its probe run) before the first step, and said where the user reads the run.
            listener.message("conv backward repair: " + io.nnft.network.ConvBackwardRepair.reason());
            FreezeController freeze = new FreezeController(net, s.freeze());
            ClassificationBatches trainGen = new ClassificationBatches(dataset, fold.train(), labels, batchSize, patch,
                    s.augment(), s.crop() == ClassificationSettings.Crop.RANDOM, seed);
            int[] valTruth = fold.val().stream().mapToInt(labels::indexOf).toArray();

            ClassificationMetric metric = s.metric();
            EarlyStopping early = s.patience() == null ? null : new EarlyStopping(s.patience(), s.minDelta());
            if (early != null) {
                for (ClassificationEpochRecord r : log) {
                    early.update(improvementScale(metric, r.metric(metric)));
                }
            }
            ClassifierCheckpoints ckpt = new ClassifierCheckpoints(net, optimizer, plansJson, in.configuration(),
                    in.fold().equals("all") ? "all" : Integer.parseInt(in.fold()), datasetJson, headJson, classNames,
                    metric, seed);
            DivergenceGuard divergence = new DivergenceGuard(s.maxSkippedSteps());
            String stop = "completed";
            int epoch = startEpoch;
            try (BatchStream trainStream = new BatchStream(trainGen::generate,
                    (long) startEpoch * s.iterationsPerEpoch(), s.dataThreads(), 4)) {
                for (; epoch < s.epochs(); epoch++) {
                    if (freeze.apply(epoch)) {
                        listener.parameterReport(epoch, ParameterReport.of(net));
                    }
                    if (freeze.trainable().isEmpty()) {
                        throw new IllegalArgumentException("freeze: at epoch " + epoch + " every parameter is frozen; "
                                + "expected at least the head (head.*) to train");
                    }
                    double factor = s.freeze().lrFactor(epoch);
                    for (ParamGroup g : groups) {
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
                    double[][] probs = predict(net, dataset, fold.val(), patch, batchSize, manager);
                    ClassificationMetrics m = ClassificationMetrics.of(valTruth, probs, classes);
                    double valLoss = CrossEntropy.ofProbabilities(probs, valTruth, classWeights);
                    // accuracy and AUC are not checked: they are NaN legitimately (one class among the cases)
                    DivergenceGuard.checkEpoch(epoch, s.iterationsPerEpoch() - 1, "validation loss", valLoss);
                    ClassificationEpochRecord rec = new ClassificationEpochRecord(epoch, trainLoss, valLoss,
                            m.accuracy(), m.balancedAccuracy(), m.auc(), m.confusion(), headGroup.lr(), encoderGroup.lr(), start, now(),
                            trainStream.takeWaitNanos() / 1e9, freeze.trainable().size());
                    log.add(rec);
                    double value = rec.metric(metric);
                    if (!Double.isNaN(value) && (best == null || (metric.minimised() ? value < best : value > best))) {
                        best = value;
                        ckpt.save(foldDir.resolve("checkpoint_best.pth"), epoch + 1, best, log, null);
                        listener.message(String.format(java.util.Locale.ROOT, "epoch %d: new best %s %.4f", epoch,
                                metric.jsonName(), value));
                    }
                    boolean stopNow = early != null && early.update(improvementScale(metric, value));
                    if ((epoch + 1) % s.checkpointEvery() == 0 && epoch != s.epochs() - 1 && !stopNow) {
                        ckpt.save(latest, epoch + 1, best, log, null);
                    }
                    ClassificationLogFile.write(foldDir.resolve("training_log.json"),
                            ClassificationLogFile.toJson(log, classNames, metric, null));
                    ClassificationProgressPlot.write(foldDir.resolve("progress.png"), log);
                    double meanEpoch = log.stream().skip(Math.max(0, log.size() - 5))
                            .mapToDouble(ClassificationEpochRecord::epochTimeSeconds).average().orElse(0);
                    listener.epochEnded(rec, s.epochs(), meanEpoch * (s.epochs() - epoch - 1));
                    if (stopNow) {
                        stop = "early_stopping";
                        listener.message("early stopping at epoch " + epoch + ": " + metric.jsonName()
                                + " did not improve by more than " + s.minDelta() + " for " + early.patience() + " epochs");
                        epoch++;
                        break;
                    }
                }
            } catch (TrainingDivergedException e) {
                // Nothing from the diverged epoch is kept; checkpoint_latest.pth is the last good epoch's.
                ClassificationLogFile.write(foldDir.resolve("training_log.json"),
                        ClassificationLogFile.toJson(log, classNames, metric, io.nnft.training.Trainer.DIVERGED));
                listener.message(e.getMessage() + " (" + divergence.skippedSteps() + " steps skipped); "
                        + latest + " holds the last good epoch");
                throw e;
            }
            int lastEpoch = log.isEmpty() ? -1 : log.get(log.size() - 1).epoch();
            if (!stop.equals("cancelled")) {
                ckpt.save(foldDir.resolve("checkpoint_final.pth"), lastEpoch + 1, best, log, stop);
                ckpt.save(latest, lastEpoch + 1, best, log, stop);
                writeValidationPredictions(foldDir.resolve("validation_predictions.csv"), net, dataset, fold.val(),
                        labels, patch, batchSize, manager);
            }
            ClassificationLogFile.write(foldDir.resolve("training_log.json"),
                    ClassificationLogFile.toJson(log, classNames, metric, stop));
            int bestEpoch = -1;
            double bestValue = Double.NaN;
            for (ClassificationEpochRecord r : log) {
                double v = r.metric(metric);
                if (!Double.isNaN(v) && (bestEpoch < 0 || (metric.minimised() ? v < bestValue : v > bestValue))) {
                    bestValue = v;
                    bestEpoch = r.epoch();
                }
            }
            ClassificationResult result = new ClassificationResult(stop, epoch - startEpoch, lastEpoch, metric,
                    bestValue, bestEpoch, List.copyOf(log), foldDir, classNames, divergence.skippedSteps());
            listener.finished(result);
            return result;
        }
    }

    /** EarlyStopping maximises; val_loss is fed negated. */
    private static double improvementScale(ClassificationMetric m, double v) {
        return m.minimised() ? -v : v;
    }

    /** Softmax probabilities of the cases' centred windows, in batches. */
    static double[][] predict(ClassifierNetwork net, PreprocessedDataset dataset, List<String> cases, int[] patch,
                              int batchSize, NDManager manager) {
        double[][] out = new double[cases.size()][];
        for (int i = 0; i < cases.size(); i += batchSize) {
            List<PreprocessedCase> chunk = new ArrayList<>();
            for (int j = i; j < Math.min(cases.size(), i + batchSize); j++) {
                chunk.add(dataset.get(cases.get(j)));
            }
            double[][] p = net.probabilities(ClassificationBatches.centred(chunk, patch), manager);
            System.arraycopy(p, 0, out, i, p.length);
        }
        return out;
    }

    private static void writeValidationPredictions(Path csv, ClassifierNetwork net, PreprocessedDataset dataset,
                                                   List<String> cases, ClassLabels labels, int[] patch, int batchSize,
                                                   NDManager manager) throws IOException {
        double[][] probs = predict(net, dataset, cases, patch, batchSize, manager);
        List<ClassPrediction> ps = new ArrayList<>();
        List<String> truth = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            int k = ClassificationMetrics.argMax(probs[i]);
            ps.add(new ClassPrediction(cases.get(i), k, labels.classNames().get(k), probs[i]));
            truth.add(labels.classNames().get(labels.indexOf(cases.get(i))));
        }
        ClassificationCsv.write(csv, labels.classNames(), ps, truth);
    }

    private static double now() {
        return System.currentTimeMillis() / 1000.0;
    }
}
