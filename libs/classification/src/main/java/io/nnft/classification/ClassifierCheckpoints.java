package io.nnft.classification;

import com.fasterxml.jackson.databind.JsonNode;
import io.nnft.checkpoint.NnUNetCheckpoint;
import io.nnft.checkpoint.TrainingLog;
import io.nnft.checkpoint.pickle.TorchDevice;
import io.nnft.network.NamedParameter;
import io.nnft.network.Optimizer;
import io.nnft.network.StateDict;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a classifier's checkpoints as nnU-Net-style .pth files (libs/checkpoint, atomic): network_weights =
 * encoder.* + head.* tensors, optimizer_state (torch layout), current_epoch, init_args, logging (losses and
 * learning rates in nnU-Net's logger keys, balanced accuracy in the pseudo-Dice slots), plus nnft extras: task,
 * class names, head settings, seed and the full training log.
 */
final class ClassifierCheckpoints {
    static final String TRAINER_NAME = "nnftClassificationTrainer";
    static final String TASK_KEY = "nnft_task";
    static final String CLASSES_KEY = "nnft_classes";
    static final String HEAD_KEY = "nnft_head";
    static final String SEED_KEY = "nnft_seed";
    static final String LOG_KEY = "nnft_training_log";

    private final ClassifierNetwork net;
    private final Optimizer optimizer;
    private final JsonNode plans;
    private final String configuration;
    private final Object fold;
    private final JsonNode datasetJson;
    private final String headJson;
    private final List<String> classNames;
    private final ClassificationMetric metric;
    private final long seed;

    ClassifierCheckpoints(ClassifierNetwork net, Optimizer optimizer, JsonNode plans, String configuration,
                          Object fold, JsonNode datasetJson, String headJson, List<String> classNames,
                          ClassificationMetric metric, long seed) {
        this.net = net;
        this.optimizer = optimizer;
        this.plans = plans;
        this.configuration = configuration;
        this.fold = fold;
        this.datasetJson = datasetJson;
        this.headJson = headJson;
        this.classNames = classNames;
        this.metric = metric;
        this.seed = seed;
    }

    void save(Path file, int currentEpoch, Double best, List<ClassificationEpochRecord> log, String stop)
            throws IOException {
        NnUNetCheckpoint c = new NnUNetCheckpoint();
        // Our own tensor names (no nnU-Net aliases: a classifier is no PlainConvUNet).
        c.setNetworkWeights(StateDict.exportCanonical(net));
        c.setOptimizerState(optimizer.state(new ArrayList<NamedParameter>(StateDict.parameters(net).values())));
        TrainingLog tl = TrainingLog.empty();
        for (ClassificationEpochRecord r : log) {
            tl.addEpoch(r.balancedAccuracy(), r.balancedAccuracy(), new double[] {r.balancedAccuracy()},
                    (float) r.trainLoss(), (float) r.valLoss(), r.lr(), r.epochStartSeconds(), r.epochEndSeconds());
        }
        c.setLogging(tl);
        c.setBestEma(best);
        c.setCurrentEpoch(currentEpoch);
        c.setInitArgs(NnUNetCheckpoint.initArgs(plans, configuration, fold, datasetJson, TorchDevice.cpu()));
        c.setTrainerName(TRAINER_NAME);
        c.extras().put(TASK_KEY, "classification");
        c.extras().put(CLASSES_KEY, new ArrayList<Object>(classNames));
        c.extras().put(HEAD_KEY, headJson);
        c.extras().put(SEED_KEY, seed);
        c.extras().put(LOG_KEY, ClassificationLogFile.toJson(log, classNames, metric, stop));
        c.write(file);
    }
}
