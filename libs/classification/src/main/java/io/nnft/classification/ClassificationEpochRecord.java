package io.nnft.classification;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nnft.training.EpochSummary;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static io.nnft.training.TrainingLogFile.number;
import static io.nnft.training.TrainingLogFile.putNumber;

/**
 * What one classification epoch logged.
 *
 * @param confusion [true class][predicted class] over the validation cases
 * @param auc       macro one-vs-rest ROC AUC; NaN when no class has both positives and negatives
 * @param lr        the head's learning rate this epoch
 * @param encoderLr the encoder's learning rate this epoch
 */
public record ClassificationEpochRecord(int epoch, double trainLoss, double valLoss, double accuracy,
                                        double balancedAccuracy, double auc, int[][] confusion, double lr,
                                        double encoderLr, double epochStartSeconds, double epochEndSeconds,
                                        double dataWaitSeconds, int trainableTensors) implements EpochSummary {
    /** A class label usable as one segment of a metric name. */
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_.:-]{1,40}");

    public double metric(ClassificationMetric m) {
        return switch (m) {
            case BALANCED_ACCURACY -> balancedAccuracy;
            case AUC -> auc;
            case VAL_LOSS -> valLoss;
        };
    }

    /**
     * train_loss, val_loss, accuracy, balanced_accuracy, auc, confusion/&lt;true&gt;/&lt;predicted&gt; (validation
     * case counts), lr (the head's), encoder_lr, epoch_time_s, data_wait_s, trainable_tensors. Classes are named by their labels when
     * every label is a valid metric-name segment, else by class index (a label like "grade 2" cannot be part of a
     * metric name).
     */
    @Override
    public Map<String, Double> metrics(List<String> classNames) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("train_loss", trainLoss);
        m.put("val_loss", valLoss);
        m.put("accuracy", accuracy);
        m.put("balanced_accuracy", balancedAccuracy);
        m.put("auc", auc);
        List<String> names = segmentNames(classNames, confusion.length);
        for (int t = 0; t < confusion.length; t++) {
            for (int p = 0; p < confusion[t].length; p++) {
                m.put("confusion/" + names.get(t) + "/" + names.get(p), (double) confusion[t][p]);
            }
        }
        m.put("lr", lr);
        m.put("encoder_lr", encoderLr);
        m.put("epoch_time_s", epochTimeSeconds());
        m.put("data_wait_s", dataWaitSeconds);
        m.put("trainable_tensors", (double) trainableTensors);
        return m;
    }

    static List<String> segmentNames(List<String> classNames, int classes) {
        boolean usable = classNames != null && classNames.size() == classes
                && classNames.stream().allMatch(n -> SEGMENT.matcher(n).matches());
        return usable ? classNames : IntStream.range(0, classes).mapToObj(Integer::toString).toList();
    }

    @Override
    public void writeJson(ObjectNode e) {
        e.put("epoch", epoch);
        putNumber(e, "train_loss", trainLoss);
        putNumber(e, "val_loss", valLoss);
        putNumber(e, "accuracy", accuracy);
        putNumber(e, "balanced_accuracy", balancedAccuracy);
        putNumber(e, "auc", auc);
        ArrayNode cm = e.putArray("confusion");
        for (int[] row : confusion) {
            ArrayNode a = cm.addArray();
            for (int v : row) {
                a.add(v);
            }
        }
        e.put("lr", lr);
        e.put("encoder_lr", encoderLr);
        writeTiming(e);
    }

    /** Reads what {@link #writeJson} wrote. */
    public static ClassificationEpochRecord read(JsonNode e) {
        JsonNode cm = e.path("confusion");
        int[][] confusion = new int[cm.size()][];
        for (int i = 0; i < confusion.length; i++) {
            confusion[i] = new int[cm.get(i).size()];
            for (int j = 0; j < confusion[i].length; j++) {
                confusion[i][j] = cm.get(i).get(j).asInt();
            }
        }
        return new ClassificationEpochRecord(e.get("epoch").asInt(), number(e, "train_loss"), number(e, "val_loss"),
                number(e, "accuracy"), number(e, "balanced_accuracy"), number(e, "auc"), confusion,
                e.get("lr").asDouble(), e.path("encoder_lr").asDouble(), e.get("epoch_start").asDouble(),
                e.get("epoch_end").asDouble(), e.path("data_wait_s").asDouble(), e.path("trainable_tensors").asInt());
    }

    @Override
    public Map<String, Double> plotted() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("accuracy", accuracy);
        m.put("balanced accuracy", balancedAccuracy);
        m.put("AUC (one-vs-rest)", auc);
        return m;
    }

    @Override
    public Map<String, Double> learningRates() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("head", lr);
        m.put("encoder", encoderLr);
        return m;
    }
}
