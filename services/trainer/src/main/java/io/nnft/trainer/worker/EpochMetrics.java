package io.nnft.trainer.worker;

import io.nnft.training.EpochRecord;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An epoch's metrics under the names of {@code TrainingProgress.metrics} (schemas/TrainingProgress.v1):
 * train_loss, val_loss, pseudo_dice/&lt;label&gt;, mean_pseudo_dice, ema_pseudo_dice, lr, epoch_time_s, plus
 * data_wait_s. NaN (a class absent from predictions and targets) stays NaN here and
 * becomes null on the wire.
 */
public final class EpochMetrics {
    private EpochMetrics() {
    }

    public static Map<String, Double> of(EpochRecord r) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("train_loss", r.trainLoss());
        m.put("val_loss", r.valLoss());
        double[] dice = r.pseudoDice();
        for (int c = 0; c < dice.length; c++) {
            // Foreground class c is label value c + 1 (nnU-Net's label_manager.foreground_labels order).
            m.put("pseudo_dice/" + (c + 1), dice[c]);
        }
        m.put("mean_pseudo_dice", r.meanPseudoDice());
        m.put("ema_pseudo_dice", r.emaPseudoDice());
        m.put("lr", r.lr());
        m.put("epoch_time_s", r.epochTimeSeconds());
        m.put("data_wait_s", r.dataWaitSeconds());
        return m;
    }
}
