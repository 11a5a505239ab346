package io.nnft.training;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/**
 * What every task's epoch record says ({@link EpochRecord} for segmentation, the classifier's for classification):
 * what the loop needs (losses, times, the data wait) and what the outside reads — the metrics under the names of
 * {@code TrainingProgress.metrics} (schemas/TrainingProgress.v1), the epoch's object in training_log.json and the
 * series of progress.png.
 */
public interface EpochSummary {
    int epoch();

    double trainLoss();

    double valLoss();

    /** The learning rate of the last parameter group (nnU-Net has one; with an encoder group, the rest's). */
    double lr();

    double epochStartSeconds();

    double epochEndSeconds();

    double dataWaitSeconds();

    int trainableTensors();

    default double epochTimeSeconds() {
        return epochEndSeconds() - epochStartSeconds();
    }

    /**
     * The epoch under TrainingProgress names (train_loss, val_loss, the task's, lr, epoch_time_s, data_wait_s,
     * trainable_tensors). NaN
     * stays NaN here and becomes null on the wire.
     *
     * @param classNames the task's class names, used where a metric is named per class
     */
    Map<String, Double> metrics(List<String> classNames);

    /** This epoch's object in training_log.json. */
    void writeJson(ObjectNode epoch);

    /** The fields every task's epoch object ends with: start, end, duration, data wait, trainable tensors. */
    default void writeTiming(ObjectNode e) {
        e.put("epoch_start", epochStartSeconds());
        e.put("epoch_end", epochEndSeconds());
        e.put("epoch_time_s", epochTimeSeconds());
        e.put("data_wait_s", dataWaitSeconds());
        e.put("trainable_tensors", trainableTensors());
    }

    /** The task's series on progress.png's first panel, beside the losses (name → value, NaN drawn as 0). */
    Map<String, Double> plotted();

    /** The learning rates on progress.png's last panel (name → value). */
    Map<String, Double> learningRates();
}
