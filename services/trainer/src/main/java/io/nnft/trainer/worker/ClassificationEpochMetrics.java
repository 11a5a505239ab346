package io.nnft.trainer.worker;

import io.nnft.classification.ClassificationEpochRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A classification epoch's metrics under the names of {@code TrainingProgress.metrics}: train_loss, val_loss,
 * accuracy, balanced_accuracy, auc, confusion/&lt;true&gt;/&lt;predicted&gt; (validation case counts), lr (the
 * head's), encoder_lr, epoch_time_s, data_wait_s. Classes are named by their labels when every label is a valid
 * metric-name segment, else by class index (a label like "grade 2" cannot be part of a metric name).
 */
public final class ClassificationEpochMetrics {
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_.:-]{1,40}");

    private ClassificationEpochMetrics() {
    }

    public static Map<String, Double> of(ClassificationEpochRecord r, List<String> classNames) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("train_loss", r.trainLoss());
        m.put("val_loss", r.valLoss());
        m.put("accuracy", r.accuracy());
        m.put("balanced_accuracy", r.balancedAccuracy());
        m.put("auc", r.auc());
        List<String> names = segmentNames(classNames, r.confusion().length);
        for (int t = 0; t < r.confusion().length; t++) {
            for (int p = 0; p < r.confusion()[t].length; p++) {
                m.put("confusion/" + names.get(t) + "/" + names.get(p), (double) r.confusion()[t][p]);
            }
        }
        m.put("lr", r.lr());
        m.put("encoder_lr", r.encoderLr());
        m.put("epoch_time_s", r.epochTimeSeconds());
        m.put("data_wait_s", r.dataWaitSeconds());
        return m;
    }

    static List<String> segmentNames(List<String> classNames, int classes) {
        boolean usable = classNames != null && classNames.size() == classes
                && classNames.stream().allMatch(n -> SEGMENT.matcher(n).matches());
        if (usable) {
            return classNames;
        }
        return java.util.stream.IntStream.range(0, classes).mapToObj(Integer::toString).toList();
    }
}
