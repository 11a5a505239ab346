package io.nnft.inference.prediction;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nnft.checkpoint.NnUNetCheckpoint;
import io.nnft.inference.LabelLayout;
import io.nnft.network.Networks;
import io.nnft.network.PlainConvUNet;
import io.nnft.network.PlainConvUNetConfig;
import io.nnft.network.StateDict;
import io.nnft.planning.Plans;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A trained model folder as nnU-Net's predictor opens it ({@code initialize_from_trained_model_folder}):
 * {@code plans.json}, {@code dataset.json} and {@code fold_<f>/checkpoint_<final|best>.pth} per fold. The
 * configuration and the allowed mirroring axes come from the (first) checkpoint; the networks are built
 * from plans.json and loaded with each fold's weights, in eval mode. Close it to free the weights.
 */
public final class TrainedModel implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path folder;
    private final Plans plans;
    private final JsonNode datasetJson;
    private final String configuration;
    private final LabelLayout labels;
    private final int[] mirrorAxes;
    private final NDManager manager;
    private final List<PlainConvUNet> networks;

    private TrainedModel(Path folder, Plans plans, JsonNode datasetJson, String configuration, LabelLayout labels,
                         int[] mirrorAxes, NDManager manager, List<PlainConvUNet> networks) {
        this.folder = folder;
        this.plans = plans;
        this.datasetJson = datasetJson;
        this.configuration = configuration;
        this.labels = labels;
        this.mirrorAxes = mirrorAxes;
        this.manager = manager;
        this.networks = networks;
    }

    /**
     * @param folds          e.g. ["0"] or ["all"]; several folds are ensembled (logits averaged)
     * @param checkpointName "checkpoint_final.pth" or "checkpoint_best.pth"
     */
    public static TrainedModel open(Path folder, List<String> folds, String checkpointName) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("--model: expected an nnU-Net model folder, found no folder at " + folder);
        }
        if (folds.isEmpty()) {
            throw new IllegalArgumentException("expected at least one fold (0..4 or all)");
        }
        Path plansFile = need(folder.resolve("plans.json"), "the plans");
        Path datasetFile = need(folder.resolve("dataset.json"), "dataset.json");
        Plans plans = Plans.read(plansFile);
        JsonNode dataset = MAPPER.readTree(datasetFile.toFile());
        LabelLayout labels = LabelLayout.fromDatasetJson(dataset, datasetFile.toString());
        NDManager manager = Networks.engine().newBaseManager();
        List<PlainConvUNet> nets = new ArrayList<>();
        String configuration = null;
        int[] mirror = null;
        try {
            for (String fold : folds) {
                Path ckptFile = need(folder.resolve("fold_" + fold).resolve(checkpointName), "fold " + fold + "'s checkpoint");
                NnUNetCheckpoint ckpt = NnUNetCheckpoint.read(ckptFile);
                if (configuration == null) {
                    configuration = ckpt.configuration();
                    mirror = toAxes(ckpt.inferenceAllowedMirroringAxes());
                } else if (!configuration.equals(ckpt.configuration())) {
                    throw new IllegalArgumentException(ckptFile + ": configuration '" + ckpt.configuration()
                            + "' differs from '" + configuration + "' of the first fold");
                }
                PlainConvUNetConfig config = PlainConvUNetConfig.fromPlans(plans.json(), configuration,
                        labels.numSegmentationHeads(), false, plansFile.toString());
                PlainConvUNet net = Networks.create(config, manager);
                StateDict.load(net, ckpt.networkWeights(), ckptFile + " network_weights");
                nets.add(net);
            }
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
        return new TrainedModel(folder, plans, dataset, configuration, labels, mirror, manager, nets);
    }

    private static Path need(Path p, String what) {
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("model folder: expected " + what + " at " + p + ", found no file");
        }
        return p;
    }

    /** null (nnU-Net's None: no mirroring) stays an empty array. */
    private static int[] toAxes(List<Integer> axes) {
        if (axes == null) {
            return new int[0];
        }
        int[] out = new int[axes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = axes.get(i);
        }
        return out;
    }

    public Path folder() {
        return folder;
    }

    public Plans plans() {
        return plans;
    }

    public JsonNode datasetJson() {
        return datasetJson;
    }

    public String configuration() {
        return configuration;
    }

    public LabelLayout labels() {
        return labels;
    }

    /** The checkpoint's inference_allowed_mirroring_axes (empty when it has none). */
    public int[] mirrorAxes() {
        return mirrorAxes.clone();
    }

    public NDManager manager() {
        return manager;
    }

    public List<PlainConvUNet> networks() {
        return networks;
    }

    public int[] patchSize() {
        return plans.configuration(configuration).patchSize();
    }

    @Override
    public void close() {
        manager.close();
    }
}
