package io.nnft.classification;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nnft.checkpoint.ModelFolder;
import io.nnft.checkpoint.NnUNetCheckpoint;
import io.nnft.checkpoint.TrainingLog;
import io.nnft.checkpoint.pickle.TorchDevice;
import io.nnft.dataset.ClassLabels;
import io.nnft.network.AdamW;
import io.nnft.network.NesterovSgd;
import io.nnft.network.Networks;
import io.nnft.network.Optimizer;
import io.nnft.network.ParamGroup;
import io.nnft.network.PlainConvUNetConfig;
import io.nnft.network.StateDict;
import io.nnft.planning.ConfigurationPlan;
import io.nnft.training.CheckpointWriter;
import io.nnft.training.LoopSettings;
import io.nnft.training.StepDecorator;
import io.nnft.training.TaskPlans;
import io.nnft.training.Trainer;
import io.nnft.training.TrainingListener;
import io.nnft.training.TrainingResult;
import io.nnft.training.TrainingTask;
import io.nnft.training.data.Batch;
import io.nnft.training.data.PreprocessedCase;
import io.nnft.training.data.PreprocessedDataset;
import io.nnft.training.data.Splits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Classification on nnU-Net's encoder (pretrained or fresh) as a {@link TrainingTask} of the one loop: encoder +
 * head ({@link ClassifierNetwork}), cross-entropy, AdamW or Nesterov SGD over two groups (encoder = lr ×
 * encoderLrFactor, head = lr × headLrFactor), a validation pass over every validation case (centred window) with
 * accuracy, balanced accuracy, one-vs-rest AUC and the confusion matrix; the monitored metric is the settings'.
 * Checkpoints are nnU-Net-style .pth files: network_weights = encoder.* + head.*, optimizer_state in torch's layout,
 * logging with balanced accuracy in the pseudo-Dice slots, and nnft extras (task, classes, head).
 */
public final class ClassificationTask implements TrainingTask<ClassificationEpochRecord> {
    static final String TRAINER_NAME = "nnftClassificationTrainer";
    static final String TASK_KEY = "nnft_task";
    static final String CLASSES_KEY = "nnft_classes";
    static final String HEAD_KEY = "nnft_head";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ClassificationInputs in;
    private final ClassificationSettings s;
    private final TaskPlans plans;
    private final int[] patch;
    private final PreprocessedDataset dataset;
    private final ClassLabels labels;
    private final List<String> classNames;
    private final Splits.Fold fold;
    private final PlainConvUNetConfig config;
    private final int batchSize;
    private ClassifierNetwork net;
    private NDManager manager;
    private String headJson;
    private int[] valTruth;

    private ClassificationTask(ClassificationInputs in, ClassificationSettings s) throws IOException {
        this.in = in;
        this.s = s;
        plans = TaskPlans.read(in.plans(), in.configuration(), in.resolvedDatasetJson(), in.preprocessed(),
                "the pretrained model's plans.json", "classification");
        ConfigurationPlan conf = plans.conf();
        patch = plans.patch();
        dataset = PreprocessedDataset.openImages(in.preprocessed());
        labels = ClassLabels.read(in.labelsCsv(), dataset.ids());
        classNames = labels.classNames();
        fold = StratifiedSplit.select(labels, in.fold(), in.splitsFile());
        config = PlainConvUNetConfig.fromPlans(plans.plansJson(), in.configuration(), 2, false, in.plans().toString());
        int channels = dataset.get(fold.train().get(0)).channels();
        if (channels != config.inputChannels()) {
            throw new IllegalArgumentException(in.preprocessed() + ": cases have " + channels + " channel(s), "
                    + in.plans() + " configuration '" + in.configuration() + "' expects " + config.inputChannels());
        }
        batchSize = s.batchSize() != null ? s.batchSize() : conf.batchSize();
        // checked before anything is written: a wrong count is the user's, not the run's
        new CrossEntropy(s.classWeights(), classNames.size());
    }

    /** Reads and checks the inputs; every problem names the file and what was expected. */
    public static ClassificationTask open(ClassificationInputs in, ClassificationSettings s) throws IOException {
        return new ClassificationTask(in, s);
    }

    /** Trains a classifier with the one loop. */
    public static TrainingResult<ClassificationEpochRecord> train(ClassificationInputs in, ClassificationSettings s,
                                                                  TrainingListener listener) throws IOException {
        return train(in, s, listener, StepDecorator.NONE);
    }

    /** @param faults replaces the batches of chosen iterations; tests only, production passes {@link StepDecorator#NONE} */
    public static TrainingResult<ClassificationEpochRecord> train(ClassificationInputs in, ClassificationSettings s,
                                                                  TrainingListener listener, StepDecorator faults)
            throws IOException {
        try (ClassificationTask task = open(in, s)) {
            return Trainer.train(task, listener, faults, CheckpointWriter.ATOMIC);
        }
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
    public void checkResumable(NnUNetCheckpoint latest, Path where) {
        Object task = latest.extras().get(TASK_KEY);
        if (!"classification".equals(task)) {
            throw new IllegalArgumentException("--resume: " + where + " is not a classifier checkpoint (" + TASK_KEY
                    + " = " + task + ")");
        }
        Object saved = latest.extras().get(CLASSES_KEY);
        if (saved instanceof List<?> l && !l.equals(classNames)) {
            throw new IllegalArgumentException("--resume: " + where + " was trained on classes " + l + ", "
                    + in.labelsCsv() + " has " + classNames);
        }
    }

    @Override
    public Long defaultSeed() {
        return null;
    }

    @Override
    public void prepare(long seed, TrainingListener listener) throws IOException {
        plans.copyTo(in.outputDir());
        listener.message("fold " + in.fold() + ": " + fold.train().size() + " training cases, " + fold.val().size()
                + " validation cases; classes " + classNames + "; seed " + seed + "; batch " + batchSize + ", patch "
                + Arrays.toString(patch) + "; " + s.optimizer().name().toLowerCase(Locale.ROOT) + ", lr "
                + s.initialLr() + " (head x" + s.headLrFactor() + ", encoder x" + s.encoderLrFactor() + ")");
    }

    @Override
    public Model createModel(NDManager manager) throws IOException {
        this.manager = manager;
        net = ClassifierNetwork.create(config, s.head(), classNames.size(), manager);
        headJson = ClassificationModel.describe(net, classNames, s.head(), in.configuration(), patch,
                in.labelsCsv().getFileName().toString()).toPrettyString();
        Files.writeString(in.outputDir().resolve(ModelFolder.CLASSIFICATION_JSON), headJson);
        ParamGroup encoderGroup = new ParamGroup("encoder", k -> k.startsWith(ModelFolder.ENCODER_PREFIX),
                s.initialLr() * s.encoderLrFactor());
        ParamGroup headGroup = new ParamGroup("head", k -> !k.startsWith(ModelFolder.ENCODER_PREFIX),
                s.initialLr() * s.headLrFactor());
        List<ParamGroup> groups = List.of(encoderGroup, headGroup);
        Optimizer optimizer = s.optimizer() == ClassificationSettings.Optimizer.ADAMW
                ? new AdamW(manager, groups, s.momentum(), ClassificationSettings.ADAM_BETA2,
                ClassificationSettings.ADAM_EPS, s.weightDecay())
                : new NesterovSgd(manager, groups, s.momentum(), s.weightDecay());
        CrossEntropy ce = new CrossEntropy(s.classWeights(), classNames.size());
        return new Model(net, optimizer, ce.objective(net));
    }

    @Override
    public void loadPretrained(TrainingListener listener) throws IOException {
        if (in.pretrained() == null) {
            listener.message("no --pretrained: the encoder starts from nnU-Net's initialisation");
            return;
        }
        Map.Entry<Path, Integer> r = PretrainedEncoder.load(net, in.pretrained());
        listener.message("pretrained encoder: " + r.getValue() + " tensors from " + r.getKey());
    }

    @Override
    public ClassificationEpochRecord readEpoch(JsonNode epoch) {
        return ClassificationEpochRecord.read(epoch);
    }

    @Override
    public LongFunction<Batch> trainBatches(long seed) {
        return new ClassificationBatches(dataset, fold.train(), labels, batchSize, patch, s.augment(),
                s.crop() == ClassificationSettings.Crop.RANDOM, seed)::generate;
    }

    @Override
    public void startValidation(long seed, int startEpoch, NDManager manager) {
        valTruth = fold.val().stream().mapToInt(labels::indexOf).toArray();
    }

    @Override
    public ClassificationEpochRecord endEpoch(EpochStart e, List<ClassificationEpochRecord> log) {
        double[][] probs = predict(fold.val());
        ClassificationMetrics m = ClassificationMetrics.of(valTruth, probs, classNames.size());
        double valLoss = CrossEntropy.ofProbabilities(probs, valTruth, s.classWeights());
        return new ClassificationEpochRecord(e.epoch(), e.trainLoss(), valLoss, m.accuracy(), m.balancedAccuracy(),
                m.auc(), m.confusion(), e.groups().get(1).lr(), e.groups().get(0).lr(), e.startSeconds(),
                System.currentTimeMillis() / 1000.0, e.trainWaitSeconds(), e.trainableTensors());
    }

    @Override
    public String metric() {
        return s.metric().jsonName();
    }

    @Override
    public double monitored(ClassificationEpochRecord r) {
        return r.metric(s.metric());
    }

    @Override
    public boolean minimised() {
        return s.metric().minimised();
    }

    @Override
    public ObjectNode logHeader() {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("task", "classification");
        classNames.forEach(root.putArray("classes")::add);
        root.put("metric", s.metric().jsonName());
        return root;
    }

    @Override
    public void describe(NnUNetCheckpoint c, List<ClassificationEpochRecord> log) {
        // Our own tensor names (no nnU-Net aliases: a classifier is no PlainConvUNet).
        c.setNetworkWeights(StateDict.exportCanonical(net));
        TrainingLog tl = TrainingLog.empty();
        for (ClassificationEpochRecord r : log) {
            tl.addEpoch(r.balancedAccuracy(), r.balancedAccuracy(), new double[] {r.balancedAccuracy()},
                    (float) r.trainLoss(), (float) r.valLoss(), r.lr(), r.epochStartSeconds(), r.epochEndSeconds());
        }
        c.setLogging(tl);
        c.setInitArgs(NnUNetCheckpoint.initArgs(plans.plansJson(), in.configuration(),
                in.fold().equals("all") ? "all" : Integer.parseInt(in.fold()), plans.datasetJson(),
                TorchDevice.cpu()));
        c.setTrainerName(TRAINER_NAME);
        c.extras().put(TASK_KEY, "classification");
        c.extras().put(CLASSES_KEY, new ArrayList<Object>(classNames));
        c.extras().put(HEAD_KEY, headJson);
    }

    /** validation_predictions.csv: every validation case's predicted class and probabilities beside its label. */
    @Override
    public Double finish(TrainingListener listener) throws IOException {
        List<String> cases = fold.val();
        double[][] probs = predict(cases);
        List<ClassPrediction> ps = new ArrayList<>();
        List<String> truth = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            int k = ClassificationMetrics.argMax(probs[i]);
            ps.add(new ClassPrediction(cases.get(i), k, classNames.get(k), probs[i]));
            truth.add(classNames.get(labels.indexOf(cases.get(i))));
        }
        ClassificationCsv.write(in.foldDirectory().resolve("validation_predictions.csv"), classNames, ps, truth);
        return null;
    }

    /** Softmax probabilities of the cases' centred windows, in batches. */
    private double[][] predict(List<String> cases) {
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

    @Override
    public void close() {
    }
}
