package io.nnft.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nnft.checkpoint.ModelFolder;
import io.nnft.checkpoint.NnUNetCheckpoint;
import io.nnft.checkpoint.SafeTensors;
import io.nnft.checkpoint.StateDictFile;
import io.nnft.imageio.NdArray;
import io.nnft.pycompat.PythonJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The export of a classifier (a libs/classification checkpoint: {@code encoder.*} + {@code head.*}):
 * <pre>
 * encoder.safetensors, encoder.pth        the encoder alone, as for segmentation jobs
 * classifier.safetensors                  the whole classifier: encoder.* then head.fc.I.{weight,bias}
 * classifier_model/                       the classifier's model folder (classification.json, plans.json,
 *                                         dataset.json, fold_F/checkpoint_final.pth) for {@code nnft classify}
 * manifest.json                           the encoder manifest plus "task" and a "classifier" section: class
 *                                         names (index order), head settings, pooled stages, head shapes
 * </pre>
 * No {@code nnunet_model/}: nnU-Net's predictor cannot load a network without a decoder.
 */
public final class ClassifierExport {
    public static final String CLASSIFIER_SAFETENSORS = "classifier.safetensors";
    public static final String MODEL_DIR = "classifier_model";

    private ClassifierExport() {
    }

    /**
     * @param classification the job's classification.json (classes, head, head_shapes...)
     * @param where          names the checkpoint in errors
     */
    public static ExportResult export(NnUNetCheckpoint checkpoint, ObjectNode classification, String where, Path dir,
                               ExportOptions options) throws IOException {
        LinkedHashMap<String, NdArray> encoder = EncoderWeights.of(checkpoint, where);
        LinkedHashMap<String, NdArray> classifier = new LinkedHashMap<>(encoder);
        checkpoint.canonicalWeights().forEach((k, v) -> {
            if (k.startsWith(ModelFolder.HEAD_PREFIX)) {
                classifier.put(k, v);
            }
        });
        if (classifier.size() == encoder.size()) {
            throw new ExportException(where + ": expected a classifier checkpoint with '" + ModelFolder.HEAD_PREFIX + "*' tensors "
                    + "(task=classification), found only encoder tensors");
        }
        checkHeadShapes(classifier, classification.path("head_shapes"), where);
        ObjectNode manifest;
        try {
            manifest = ExportManifest.build(checkpoint, encoder, options, where);
        } catch (IllegalStateException e) {
            throw new ExportException(where + ": " + e.getMessage(), e);
        }
        // the checkpoint's "best EMA" slot holds the classifier's best monitored metric
        ((ObjectNode) manifest.path("source")).remove("best_ema_pseudo_dice");
        manifest.put("task", "classification");
        manifest.set("classifier", classifierSection(classification, classifier));

        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        Path st = dir.resolve(EncoderExporter.ENCODER_SAFETENSORS);
        SafeTensors.write(st, encoder, Map.of("format", "pt", "nnft", "encoder of a classifier; see manifest.json"));
        written.add(st);
        Path pth = dir.resolve(EncoderExporter.ENCODER_PTH);
        StateDictFile.write(pth, encoder);
        written.add(pth);
        Path cls = dir.resolve(CLASSIFIER_SAFETENSORS);
        SafeTensors.write(cls, classifier, Map.of("format", "pt", "nnft",
                "classifier (encoder + head) of classes " + classification.path("classes") + "; see manifest.json"));
        written.add(cls);
        Path model = dir.resolve(MODEL_DIR);
        written.addAll(NnUNetModelFolder.write(checkpoint, model, where));
        Path description = model.resolve(ModelFolder.CLASSIFICATION_JSON);
        Files.writeString(description, PythonJson.write(classification) + "\n");
        written.add(description);

        return EncoderExporter.finish(dir, written, manifest);
    }

    private static ObjectNode classifierSection(ObjectNode classification, Map<String, NdArray> classifier) {
        ObjectNode c = classification.objectNode();
        c.put("file", CLASSIFIER_SAFETENSORS);
        c.put("model_folder", MODEL_DIR + "/");
        c.set("classes", classification.path("classes").deepCopy());
        c.put("num_classes", classification.path("classes").size());
        c.set("head", classification.path("head").deepCopy());
        c.set("pooled_stages", classification.path("pooled_stages").deepCopy());
        c.set("head_in_features", classification.path("head_in_features").deepCopy());
        ObjectNode shapes = c.putObject("head_shapes");
        classifier.forEach((k, v) -> {
            if (k.startsWith(ModelFolder.HEAD_PREFIX)) {
                ArrayNode a = shapes.putArray(k);
                Arrays.stream(v.shape()).forEach(a::add);
            }
        });
        c.put("tensors", classifier.size());
        c.put("key_prefixes", "encoder.* as encoder.safetensors, then head.*");
        if (classification.has("forward")) {
            c.set("forward", classification.get("forward").deepCopy());
        }
        return c;
    }

    /** The checkpoint's head must be the one classification.json describes (same keys, same shapes). */
    private static void checkHeadShapes(Map<String, NdArray> classifier, JsonNode expected, String where) {
        Map<String, String> found = new LinkedHashMap<>();
        classifier.forEach((k, v) -> {
            if (k.startsWith(ModelFolder.HEAD_PREFIX)) {
                found.put(k, Arrays.toString(v.shape()));
            }
        });
        Map<String, String> wanted = new LinkedHashMap<>();
        expected.fields().forEachRemaining(e -> {
            long[] s = new long[e.getValue().size()];
            for (int i = 0; i < s.length; i++) {
                s[i] = e.getValue().get(i).asLong();
            }
            wanted.put(e.getKey(), Arrays.toString(s));
        });
        if (!wanted.isEmpty() && !wanted.equals(found)) {
            throw new ExportException(where + ": expected the head tensors of " + ModelFolder.CLASSIFICATION_JSON + " " + wanted
                    + ", found " + found);
        }
    }
}
