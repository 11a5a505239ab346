package io.nnft.classification;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nnft.checkpoint.ModelFolder;
import io.nnft.checkpoint.NnUNetCheckpoint;
import io.nnft.imageio.NdArray;
import io.nnft.network.PlainConvUNetConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A classifier's model folder: {@code classification.json} (classes, head, configuration, patch size, tensor
 * shapes of the head), {@code plans.json} and {@code dataset.json} (the pretrained model's plans, so inputs are
 * preprocessed exactly as in pretraining) and {@code fold_F/checkpoint_*.pth}.
 */
public record ClassificationModel(Path folder, ObjectNode json, List<String> classNames, HeadSettings head,
                                  String configuration, int[] patchSize) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The classification.json written beside plans.json when training starts. */
    public static ObjectNode describe(ClassifierNetwork net, List<String> classNames, HeadSettings head,
                                      String configuration, int[] patch, String labelsFile) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("task", "classification");
        o.put("configuration", configuration);
        ArrayNode classes = o.putArray("classes");
        classNames.forEach(classes::add);
        ObjectNode h = o.putObject("head");
        h.put("pooling", head.pooling().jsonName());
        ArrayNode skips = h.putArray("skips");
        head.skips().forEach(skips::add);
        h.put("dropout", head.dropout());
        ArrayNode hidden = h.putArray("hidden_units");
        head.hiddenUnits().forEach(hidden::add);
        ArrayNode pooled = o.putArray("pooled_stages");
        for (int s : net.head().pooledStages()) {
            pooled.add(s);
        }
        o.put("head_in_features", net.head().inFeatures());
        ObjectNode shapes = o.putObject("head_shapes");
        net.head().shapes().forEach((k, v) -> {
            ArrayNode a = shapes.putArray(ModelFolder.HEAD_PREFIX + k);
            for (long x : v) {
                a.add(x);
            }
        });
        o.put("input_channels", net.config().inputChannels());
        ArrayNode ps = o.putArray("patch_size");
        for (int x : patch) {
            ps.add(x);
        }
        o.put("encoder_key_prefix", ModelFolder.ENCODER_PREFIX);
        o.put("head_key_prefix", ModelFolder.HEAD_PREFIX);
        o.put("forward", "logits = head(concat(pool(encoder(x)[s]) for s in pooled_stages)); "
                + "head = [dropout -> fc.I -> relu]... -> fc.last");
        if (labelsFile != null) {
            o.put("labels_file", labelsFile);
        }
        return o;
    }

    public static ClassificationModel read(Path folder) throws IOException {
        Path file = folder.resolve(ModelFolder.CLASSIFICATION_JSON);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--model " + folder + ": expected a classifier model folder with "
                    + ModelFolder.CLASSIFICATION_JSON + ", found none (is it a segmentation model?)");
        }
        for (String f : List.of("plans.json", "dataset.json")) {
            if (!Files.isRegularFile(folder.resolve(f))) {
                throw new IllegalArgumentException("--model " + folder + ": expected " + f + ", found none");
            }
        }
        JsonNode root = MAPPER.readTree(file.toFile());
        if (!(root instanceof ObjectNode o) || !"classification".equals(root.path("task").asText())) {
            throw new IllegalArgumentException(file + ": expected an object with \"task\": \"classification\"");
        }
        List<String> classes = new ArrayList<>();
        root.path("classes").forEach(c -> classes.add(c.asText()));
        if (classes.size() < 2) {
            throw new IllegalArgumentException(file + ".classes: expected >= 2 class names, found " + classes);
        }
        JsonNode h = root.path("head");
        List<Integer> skips = new ArrayList<>();
        h.path("skips").forEach(s -> skips.add(s.asInt()));
        List<Integer> hidden = new ArrayList<>();
        h.path("hidden_units").forEach(s -> hidden.add(s.asInt()));
        HeadSettings head = new HeadSettings(HeadSettings.Pooling.parse(h.path("pooling").asText("avg")), skips,
                h.path("dropout").asDouble(0), hidden);
        JsonNode ps = root.path("patch_size");
        int[] patch = new int[ps.size()];
        for (int i = 0; i < patch.length; i++) {
            patch[i] = ps.get(i).asInt();
        }
        String conf = root.path("configuration").asText(null);
        if (conf == null || patch.length != 3) {
            throw new IllegalArgumentException(file + ": expected 'configuration' and a 3D 'patch_size', found "
                    + root.get("configuration") + " and " + ps);
        }
        return new ClassificationModel(folder, o, List.copyOf(classes), head, conf, patch);
    }

    public Path plansFile() {
        return folder.resolve("plans.json");
    }

    public Path datasetJsonFile() {
        return folder.resolve("dataset.json");
    }

    public int headInFeatures() {
        return json.path("head_in_features").asInt();
    }

    /** head.* key → shape. */
    public Map<String, long[]> headShapes() {
        Map<String, long[]> out = new LinkedHashMap<>();
        json.path("head_shapes").fields().forEachRemaining(e -> {
            long[] s = new long[e.getValue().size()];
            for (int i = 0; i < s.length; i++) {
                s[i] = e.getValue().get(i).asLong();
            }
            out.put(e.getKey(), s);
        });
        return out;
    }

    /** The encoder's config from plans.json. */
    public PlainConvUNetConfig networkConfig() throws IOException {
        return PlainConvUNetConfig.fromPlans(plansFile(), configuration, 2, false);
    }

    /** fold_F/checkpoint_{which}.pth; which = final | best | latest. */
    public Path checkpoint(String fold, String which) {
        if (!List.of("final", "best", "latest").contains(which)) {
            throw new IllegalArgumentException("--checkpoint: expected final, best or latest, found '" + which + "'");
        }
        Path p = folder.resolve("fold_" + fold).resolve("checkpoint_" + which + ".pth");
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("--model " + folder + ": expected fold_" + fold + "/checkpoint_" + which
                    + ".pth, found none");
        }
        return p;
    }

    /** The classifier's tensors (encoder.* then head.*, canonical names) of a checkpoint, e.g. for safetensors. */
    public static LinkedHashMap<String, NdArray> weights(Path checkpoint) throws IOException {
        return NnUNetCheckpoint.read(checkpoint).canonicalWeights();
    }
}
