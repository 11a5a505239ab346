package io.nnft.gateway;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.nnft.events.Configuration;
import io.nnft.events.EncoderExported;
import io.nnft.events.Fold;
import io.nnft.events.JobFailed;
import io.nnft.events.Problem;
import io.nnft.events.Task;
import io.nnft.events.TrainingCompleted;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A job as {@code GET /jobs/{id}} shows it and as {@code jobs/<id>/status.json} stores it: built from
 * the job's events by {@link io.nnft.gateway.mapping.JobViewReducer}.
 *
 * @param epoch 0-based index of the last finished epoch (TrainingProgress.epoch)
 * @param metrics the latest epoch's metrics (null stands for NaN)
 * @param bestMetric the monitored metric at its best (TrainingCompleted.bestMetric; any task)
 * @param finishedAt when the job reached completed or a terminal stage (retention counts from here)
 * @param intermediatesExpiredAt when retention deleted preprocessed arrays and latest checkpoints
 * @param traceId the job's OpenTelemetry trace (32 hex digits): that of the {@code POST /jobs} that accepted it, or
 *                of the first of its records that carried a {@code traceparent}; absent while tracing is off
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobView(
        String jobId,
        JobStage stage,
        Task task,
        String dataset,
        String pretrained,
        Configuration configuration,
        Fold fold,
        String datasetName,
        Integer numTrainingCases,
        Boolean plansFromPretrained,
        String plans,
        Integer epoch,
        Integer epochs,
        Map<String, Double> metrics,
        Double etaSeconds,
        Double bestEmaPseudoDice,
        TrainingCompleted.BestMetric bestMetric,
        Double finalValidationDice,
        Integer epochsRun,
        Boolean earlyStopped,
        String modelFolder,
        Map<String, String> checkpoints,
        String exportPrefix,
        List<EncoderExported.Artifact> artifacts,
        Failure failure,
        Boolean cancelRequested,
        String traceId,
        Instant createdAt,
        Instant updatedAt,
        Instant finishedAt,
        Instant intermediatesExpiredAt) {

    /** Why a job failed or was cancelled: the JobFailed's fields. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Failure(JobFailed.Stage stage, String reason, Boolean retriable, List<Problem> problems,
                          String eventType) {
    }

    /** A copy with the retention mark set. */
    public JobView withIntermediatesExpiredAt(Instant at) {
        return new JobView(jobId, stage, task, dataset, pretrained, configuration, fold, datasetName,
                numTrainingCases, plansFromPretrained, plans, epoch, epochs, metrics, etaSeconds, bestEmaPseudoDice,
                bestMetric, finalValidationDice, epochsRun, earlyStopped, modelFolder, checkpoints, exportPrefix,
                artifacts, failure, cancelRequested, traceId, createdAt, updatedAt, finishedAt, at);
    }
}
