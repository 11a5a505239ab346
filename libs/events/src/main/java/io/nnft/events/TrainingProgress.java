package io.nnft.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * One finished epoch ({@code schemas/TrainingProgress.v1.schema.json}).
 *
 * @param epoch 0-based index of the epoch that just finished
 * @param epochs the epoch budget
 * @param metrics name to value, e.g. train_loss, val_loss, pseudo_dice/1, ema_pseudo_dice, lr,
 *     epoch_time_s; NaN is stored as null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingProgress(
        String jobId,
        Integer epoch,
        Integer epochs,
        Map<String, Double> metrics,
        Double etaSeconds)
        implements NnftEvent {

    public TrainingProgress {
        metrics = Metrics.normalise(metrics);
    }
}
