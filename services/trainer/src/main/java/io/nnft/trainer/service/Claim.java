package io.nnft.trainer.service;

/** This replica owns attempt {@code attempt} of a job (it created {@code claims/attempt-<n>.json} first). */
public record Claim(String jobId, int attempt, String owner) {
}
