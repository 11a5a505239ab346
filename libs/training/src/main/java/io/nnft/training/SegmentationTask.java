package io.nnft.training;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nnft.checkpoint.ModelFolder;
import io.nnft.checkpoint.NnUNetCheckpoint;
import io.nnft.checkpoint.TrainingLog;
import io.nnft.checkpoint.pickle.TorchDevice;
import io.nnft.network.DeepSupervision;
import io.nnft.network.DeepSupervisionLoss;
import io.nnft.network.NesterovSgd;
import io.nnft.network.Networks;
import io.nnft.network.ParamGroup;
import io.nnft.network.PlainConvUNet;
import io.nnft.network.PlainConvUNetConfig;
import io.nnft.network.StateDict;
import io.nnft.network.TrainStep;
import io.nnft.planning.ConfigurationPlan;
import io.nnft.training.augment.AugmentationPipeline;
import io.nnft.training.data.Batch;
import io.nnft.training.data.BatchGenerator;
import io.nnft.training.data.BatchStream;
import io.nnft.training.data.PatchSampler;
import io.nnft.training.data.PatchSizes;
import io.nnft.training.data.PreprocessedDataset;
import io.nnft.training.data.Splits;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * nnU-Net's segmentation training as a {@link TrainingTask}: PlainConvUNet from the plans with deep supervision,
 * DC+CE, Nesterov SGD (one group, or the encoder's own LR first), nnU-Net's augmentation and foreground
 * oversampling, {@code validationIterations} validation batches per epoch with pseudo-Dice and its EMA (the
 * monitored metric), checkpoints nnU-Net can load, and the final validation on whole cases.
 */
public final class SegmentationTask implements TrainingTask<EpochRecord> {
    private final TrainingInputs in;
    private final TrainingSettings s;
    private final TaskPlans plans;
    private final ConfigurationPlan conf;
    private final int[] patch;
    private final List<String> classNames;
    private final int heads;
    private final PlainConvUNetConfig config;
    private final double[][] dsScales;
    private final PreprocessedDataset dataset;
    private final Integer foldNumber;
    private final Splits.Fold fold;
    private final int batchSize;
    private PlainConvUNet net;
    private DeepSupervisionLoss loss;
    private ValidationStep validation;
    private BatchStream valStream;

    private SegmentationTask(TrainingInputs in, TrainingSettings s) throws IOException {
        this.in = in;
        this.s = s;
        plans = TaskPlans.read(in.plans(), in.configuration(), in.resolvedDatasetJson(), in.preprocessed(),
                "an nnUNetPlans.json file", "this trainer");
        conf = plans.conf();
        patch = plans.patch();
        Path datasetJsonFile = plans.datasetJsonFile();
        JsonNode datasetJson = plans.datasetJson();
        classNames = foregroundClassNames(datasetJson.get("labels"), datasetJsonFile);
        heads = PlainConvUNetConfig.segmentationHeadsFromLabels(datasetJson.get("labels"), datasetJsonFile.toString());
        config = PlainConvUNetConfig.fromPlans(plans.plansJson(), in.configuration(), heads, true,
                in.plans().toString());
        dsScales = DeepSupervision.scales(config.strides());
        dataset = PreprocessedDataset.open(in.preprocessed());
        foldNumber = Splits.parseFold(in.fold());
        fold = Splits.select(dataset.ids(), foldNumber, in.resolvedSplitsFile());
        batchSize = s.batchSize() != null ? s.batchSize() : conf.batchSize();
    }

    /** Reads and checks the inputs; every problem names the file and what was expected. */
    public static SegmentationTask open(TrainingInputs in, TrainingSettings s) throws IOException {
        return new SegmentationTask(in, s);
    }

    @Override
    public LoopSettings settings() {
        return s;
    }

    @Override
    public Path foldDirectory() {
        return in.foldDirectory();
    }

    @Override
    public boolean resume() {
        return in.resume();
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public Long defaultSeed() {
        return s.deterministic() ? 12345L : null;
    }

    @Override
    public void prepare(long seed, TrainingListener listener) throws IOException {
        plans.copyTo(in.outputDir());
        if (s.epochs() < TrainingSettings.SHORT_SCHEDULE_WARNING_EPOCHS) {
            listener.message("WARNING: " + s.epochs() + " epochs is under nnU-Net's " + 1000 + " (and under "
                    + TrainingSettings.SHORT_SCHEDULE_WARNING_EPOCHS + "): shorter schedules usually cost Dice");
        }
        listener.message("fold " + in.fold() + ": " + fold.train().size() + " training cases, " + fold.val().size()
                + " validation cases; seed " + seed + "; batch " + batchSize + ", patch " + Arrays.toString(patch));
    }

    @Override
    public Model createModel(NDManager manager) {
        net = Networks.create(config, manager);
        // One group like nnU-Net unless the encoder gets its own LR (then the encoder group comes first).
        List<ParamGroup> groups = s.encoderLrFactor() == 1 ? List.of(ParamGroup.all(s.initialLr()))
                : List.of(ParamGroup.encoder(s.initialLr() * s.encoderLrFactor()),
                new ParamGroup("rest", k -> !k.startsWith(ModelFolder.ENCODER_PREFIX), s.initialLr()));
        NesterovSgd sgd = new NesterovSgd(manager, groups, s.momentum(), s.weightDecay());
        loss = DeepSupervisionLoss.nnUNetDefault(net.numOutputs(), conf.batchDice(), null);
        validation = new ValidationStep(net, loss, manager);
        return new Model(net, sgd, TrainStep.deepSupervised(net, loss));
    }

    @Override
    public void loadPretrained(TrainingListener listener) throws IOException {
        if (in.pretrained() == null) {
            return;
        }
        PretrainedWeights.Report r = PretrainedWeights.load(net, in.pretrained());
        listener.message("pretrained: " + r.loaded() + " tensors from " + r.checkpoint()
                + (r.reinitialised().isEmpty() ? "" : "; segmentation heads re-initialised (label count differs): "
                + r.reinitialised()));
    }

    @Override
    public EpochRecord readEpoch(JsonNode epoch) {
        return EpochRecord.read(epoch);
    }

    /** nnU-Net's logger lists, one record per epoch. */
    @Override
    public List<EpochRecord> nnUNetLog(NnUNetCheckpoint c) {
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
            out.add(new EpochRecord(i, train.get(i), val.get(i), dice.get(i).stream().mapToDouble(Double::doubleValue)
                    .toArray(), mean.get(i), ema.get(i), lrs.get(i), t0.get(i), t1.get(i), 0, 0));
        }
        return out;
    }

    @Override
    public LongFunction<Batch> trainBatches(long seed) {
        int[] loaderPatch = s.augment() ? PatchSizes.initialPatchSize(patch) : patch;
        return new BatchGenerator(dataset, fold.train(), batchSize,
                new PatchSampler(loaderPatch, patch, s.oversampleForeground()),
                s.augment() ? AugmentationPipeline.nnUNetTraining(patch, conf.useMaskForNorm())
                        : AugmentationPipeline.validation(), dsScales, seed)::generate;
    }

    @Override
    public void startValidation(long seed, int startEpoch, NDManager manager) {
        BatchGenerator valGen = new BatchGenerator(dataset, fold.val(), batchSize,
                new PatchSampler(patch, patch, s.oversampleForeground()), AugmentationPipeline.validation(),
                dsScales, seed ^ 0x5DEECE66DL);
        valStream = new BatchStream(valGen::generate, (long) startEpoch * s.validationIterations(), 1,
                Math.min(s.prefetch(), 2));
    }

    @Override
    public EpochRecord endEpoch(EpochStart e, List<EpochRecord> log) {
        PseudoDice dice = new PseudoDice(heads);
        double valLossSum = 0;
        for (int it = 0; it < s.validationIterations(); it++) {
            valLossSum += validation.run(valStream.next(), dice);
        }
        double[] perClass = dice.perClass();
        double mean = PseudoDice.nanMean(perClass);
        Double prevEma = log.isEmpty() ? null : log.get(log.size() - 1).emaPseudoDice();
        double wait = e.trainWaitSeconds() + valStream.takeWaitNanos() / 1e9;
        return new EpochRecord(e.epoch(), e.trainLoss(), valLossSum / s.validationIterations(), perClass, mean,
                PseudoDice.ema(prevEma, mean), e.groups().get(e.groups().size() - 1).lr(), e.startSeconds(),
                Trainer.now(), wait, e.trainableTensors());
    }

    @Override
    public String metric() {
        return "ema_pseudo_dice";
    }

    @Override
    public double monitored(EpochRecord r) {
        return r.emaPseudoDice();
    }

    @Override
    public ObjectNode logHeader() {
        return TrainingLogFile.header(classNames);
    }

    @Override
    public void describe(NnUNetCheckpoint c, List<EpochRecord> log) {
        c.setCanonicalWeights(StateDict.exportCanonical(net));
        TrainingLog tl = TrainingLog.empty();
        for (EpochRecord r : log) {
            tl.addEpoch(r.meanPseudoDice(), r.emaPseudoDice(), r.pseudoDice(), (float) r.trainLoss(),
                    (float) r.valLoss(), r.lr(), r.epochStartSeconds(), r.epochEndSeconds());
        }
        c.setLogging(tl);
        c.setInitArgs(NnUNetCheckpoint.initArgs(plans.plansJson(), in.configuration(),
                foldNumber == null ? "all" : foldNumber, plans.datasetJson(), TorchDevice.cpu()));
        c.setTrainerName(Trainer.TRAINER_NAME);
        c.setInferenceAllowedMirroringAxes(List.of(0, 1, 2));
    }

    @Override
    public Double finish(TrainingListener listener) throws IOException {
        return s.finalValidation() ? FinalValidationStep.run(in, fold.val(), s.dataThreads(), listener) : null;
    }

    @Override
    public void close() {
        if (valStream != null) {
            valStream.close();
        }
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
}
