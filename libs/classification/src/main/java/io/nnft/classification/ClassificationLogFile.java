package io.nnft.classification;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nnft.training.TrainingLogFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.nnft.training.TrainingLogFile.number;
import static io.nnft.training.TrainingLogFile.putNumber;

/**
 * {@code training_log.json} of a classifier: one object per epoch (losses, accuracy, balanced accuracy, AUC,
 * confusion matrix, learning rates, times), the class names, the monitored metric and how training ended. The
 * same text is embedded in every checkpoint so a resume restores the full log.
 */
public final class ClassificationLogFile {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ClassificationLogFile() {
    }

    public static String toJson(List<ClassificationEpochRecord> log, List<String> classNames, ClassificationMetric metric,
                                String stopReason) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("task", "classification");
        ArrayNode names = root.putArray("classes");
        classNames.forEach(names::add);
        root.put("metric", metric.jsonName());
        if (stopReason != null) {
            root.put("stop_reason", stopReason);
        }
        ArrayNode epochs = root.putArray("epochs");
        for (ClassificationEpochRecord r : log) {
            ObjectNode e = epochs.addObject();
            e.put("epoch", r.epoch());
            putNumber(e, "train_loss", r.trainLoss());
            putNumber(e, "val_loss", r.valLoss());
            putNumber(e, "accuracy", r.accuracy());
            putNumber(e, "balanced_accuracy", r.balancedAccuracy());
            putNumber(e, "auc", r.auc());
            ArrayNode cm = e.putArray("confusion");
            for (int[] row : r.confusion()) {
                ArrayNode a = cm.addArray();
                for (int v : row) {
                    a.add(v);
                }
            }
            e.put("lr", r.lr());
            e.put("encoder_lr", r.encoderLr());
            e.put("epoch_start", r.epochStartSeconds());
            e.put("epoch_end", r.epochEndSeconds());
            e.put("epoch_time_s", r.epochTimeSeconds());
            e.put("data_wait_s", r.dataWaitSeconds());
            e.put("trainable_tensors", r.trainableTensors());
        }
        return root.toPrettyString();
    }

    public static List<ClassificationEpochRecord> parse(String json, String where) {
        try {
            JsonNode root = MAPPER.readTree(json);
            List<ClassificationEpochRecord> out = new ArrayList<>();
            for (JsonNode e : root.path("epochs")) {
                JsonNode cm = e.path("confusion");
                int[][] confusion = new int[cm.size()][];
                for (int i = 0; i < confusion.length; i++) {
                    confusion[i] = new int[cm.get(i).size()];
                    for (int j = 0; j < confusion[i].length; j++) {
                        confusion[i][j] = cm.get(i).get(j).asInt();
                    }
                }
                out.add(new ClassificationEpochRecord(e.get("epoch").asInt(), number(e, "train_loss"),
                        number(e, "val_loss"), number(e, "accuracy"), number(e, "balanced_accuracy"), number(e, "auc"),
                        confusion, e.get("lr").asDouble(),
                        e.path("encoder_lr").asDouble(), e.get("epoch_start").asDouble(), e.get("epoch_end").asDouble(),
                        e.path("data_wait_s").asDouble(), e.path("trainable_tensors").asInt()));
            }
            return out;
        } catch (IOException | NullPointerException e) {
            throw new IllegalArgumentException(where + ": classification training log is not the expected JSON: "
                    + e.getMessage(), e);
        }
    }

    /** Written under a temporary name and moved into place. */
    public static void write(Path file, String json) throws IOException {
        TrainingLogFile.write(file, json);
    }
}
