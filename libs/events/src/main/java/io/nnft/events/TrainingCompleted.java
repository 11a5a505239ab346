package io.nnft.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** Training finished ({@code schemas/TrainingCompleted.v1.schema.json}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingCompleted(
        String jobId,
        FineTuneRequested request,
        String modelFolder,
        Checkpoints checkpoints,
        Double bestEmaPseudoDice,
        Double finalValidationDice,
        Map<String, Double> finalMetrics,
        Integer epochsRun,
        Boolean earlyStopped,
        Double wallTimeSeconds,
        String device,
        BestMetric bestMetric)
        implements NnftEvent {

    public TrainingCompleted {
        finalMetrics = Metrics.normalise(finalMetrics);
    }

    /**
     * Checkpoint locations; {@code best} and {@code latest} may be absent.
     *
     * @param finalCheckpoint checkpoint_final.pth ("final" on the wire; a Java keyword)
     */
    /**
     * The monitored validation metric at its best (the epoch of checkpoint_best).
     *
     * @param name as in TrainingProgress.metrics: balanced_accuracy, auc, val_loss or ema_pseudo_dice
     */
    public record BestMetric(String name, Double value, Integer epoch) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Checkpoints(@JsonProperty("final") String finalCheckpoint, String best, String latest) {}
}
