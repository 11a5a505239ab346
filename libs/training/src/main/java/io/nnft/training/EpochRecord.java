package io.nnft.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.nnft.training.TrainingLogFile.number;
import static io.nnft.training.TrainingLogFile.putNumber;

/**
 * What one segmentation epoch logged (nnU-Net's logger keys plus the time the loop waited for data).
 *
 * @param pseudoDice per foreground class (NaN when the class was absent from predictions and targets)
 */
public record EpochRecord(int epoch, double trainLoss, double valLoss, double[] pseudoDice, double meanPseudoDice,
                          double emaPseudoDice, double lr, double epochStartSeconds, double epochEndSeconds,
                          double dataWaitSeconds, int trainableTensors) implements EpochSummary {

    /**
     * train_loss, val_loss, pseudo_dice/&lt;label&gt;, mean_pseudo_dice, ema_pseudo_dice, lr, epoch_time_s, data_wait_s,
     * trainable_tensors (what the freeze schedule left trainable).
     */
    @Override
    public Map<String, Double> metrics(List<String> classNames) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("train_loss", trainLoss);
        m.put("val_loss", valLoss);
        for (int c = 0; c < pseudoDice.length; c++) {
            // Foreground class c is label value c + 1 (nnU-Net's label_manager.foreground_labels order).
            m.put("pseudo_dice/" + (c + 1), pseudoDice[c]);
        }
        m.put("mean_pseudo_dice", meanPseudoDice);
        m.put("ema_pseudo_dice", emaPseudoDice);
        m.put("lr", lr);
        m.put("epoch_time_s", epochTimeSeconds());
        m.put("data_wait_s", dataWaitSeconds);
        m.put("trainable_tensors", (double) trainableTensors);
        return m;
    }

    @Override
    public void writeJson(ObjectNode e) {
        e.put("epoch", epoch);
        putNumber(e, "train_loss", trainLoss);
        putNumber(e, "val_loss", valLoss);
        ArrayNode d = e.putArray("pseudo_dice");
        for (double v : pseudoDice) {
            if (Double.isNaN(v)) {
                d.addNull();
            } else {
                d.add(v);
            }
        }
        putNumber(e, "mean_pseudo_dice", meanPseudoDice);
        putNumber(e, "ema_pseudo_dice", emaPseudoDice);
        e.put("lr", lr);
        writeTiming(e);
    }

    /** Reads what {@link #writeJson} wrote. */
    public static EpochRecord read(JsonNode e) {
        JsonNode d = e.path("pseudo_dice");
        double[] dice = new double[d.size()];
        for (int i = 0; i < dice.length; i++) {
            dice[i] = d.get(i).isNull() ? Double.NaN : d.get(i).asDouble();
        }
        return new EpochRecord(e.get("epoch").asInt(), number(e, "train_loss"), number(e, "val_loss"), dice,
                number(e, "mean_pseudo_dice"), number(e, "ema_pseudo_dice"), e.get("lr").asDouble(),
                e.get("epoch_start").asDouble(), e.get("epoch_end").asDouble(), e.path("data_wait_s").asDouble(),
                e.path("trainable_tensors").asInt());
    }

    @Override
    public Map<String, Double> plotted() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("pseudo dice", meanPseudoDice);
        m.put("pseudo dice (EMA)", emaPseudoDice);
        return m;
    }

    @Override
    public Map<String, Double> learningRates() {
        return Map.of("learning rate", lr);
    }
}
