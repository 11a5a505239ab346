package io.nnft.trainer.service;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * The training ledger entry of one job, {@code jobs/<id>/state.json}. The claims beside it
 * ({@code claims/attempt-<n>.json}, created with a conditional write) decide who owns an attempt; this file
 * says how far the job got and until when its owner promises to be alive.
 *
 * @param attempt         the attempt this entry describes (0: registered, not claimed yet)
 * @param leaseUntil      ISO-8601 instant; after it, another replica may claim the next attempt
 * @param lastCheckpoint  s3 location of the newest checkpoint_latest.pth in the bucket, or null
 * @param lastEpoch       0-based epoch that checkpoint (or the last progress) belongs to, or null
 * @param trainingSeconds wall time of the finished attempts (TrainingCompleted.wallTimeSeconds sums them)
 * @param reason          why the job failed or was cancelled
 * @param input           the PreprocessingCompleted that started the job (what a resuming replica trains)
 * @param traceparent     the W3C trace context of the job where it reached the trainer, so that every attempt, on
 *                        whichever replica, is a span of the job's one trace; null when tracing was off
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobState(String jobId, Status status, int attempt, String owner, String leaseUntil,
                       String lastCheckpoint, Integer lastEpoch, double trainingSeconds, String device,
                       String reason, String updatedAt, JsonNode input, String traceparent) {

    public enum Status {
        @JsonProperty("requested") REQUESTED,
        @JsonProperty("running") RUNNING,
        @JsonProperty("completed") COMPLETED,
        @JsonProperty("failed") FAILED,
        @JsonProperty("cancelled") CANCELLED;

        public boolean terminal() {
            return this == COMPLETED || this == FAILED || this == CANCELLED;
        }
    }

    @JsonIgnore
    public Instant leaseExpiry() {
        return leaseUntil == null ? Instant.EPOCH : Instant.parse(leaseUntil);
    }

    JobState with(Status s, int a, String o, Instant lease, Instant now) {
        return new JobState(jobId, s, a, o, lease == null ? null : lease.toString(), lastCheckpoint, lastEpoch,
                trainingSeconds, device, reason, now.toString(), input, traceparent);
    }

    JobState withProgress(String checkpoint, Integer epoch, String dev) {
        return new JobState(jobId, status, attempt, owner, leaseUntil, checkpoint != null ? checkpoint : lastCheckpoint,
                epoch != null ? epoch : lastEpoch, trainingSeconds, dev != null ? dev : device, reason, updatedAt, input,
                traceparent);
    }

    JobState finished(Status s, String why, double addSeconds, Instant now) {
        return new JobState(jobId, s, attempt, owner, null, lastCheckpoint, lastEpoch, trainingSeconds + addSeconds,
                device, why, now.toString(), input, traceparent);
    }

    JobState plusSeconds(double addSeconds) {
        return new JobState(jobId, status, attempt, owner, leaseUntil, lastCheckpoint, lastEpoch,
                trainingSeconds + addSeconds, device, reason, updatedAt, input, traceparent);
    }
}
