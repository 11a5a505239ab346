package io.nnft.gateway;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/**
 * Where a job stands, as seen from its events. Stages only move forward (by rank): events of one job
 * arrive on different topics and may be read out of order, and a replay from the beginning of the
 * topics must not move a finished job back to an earlier stage.
 */
public enum JobStage {
    REQUESTED(0),
    PLANNED(1),
    PREPROCESSED(2),
    TRAINING(3),
    COMPLETED(4),
    EXPORTED(5),
    FAILED(6),
    CANCELLED(6);

    private final int rank;

    JobStage(int rank) {
        this.rank = rank;
    }

    public int rank() {
        return rank;
    }

    /** Nothing more will happen to the job: exported, failed or cancelled. */
    public boolean terminal() {
        return this == EXPORTED || this == FAILED || this == CANCELLED;
    }

    /** Training is over (completed or terminal): its intermediate data is no longer read by anyone. */
    public boolean finished() {
        return this == COMPLETED || terminal();
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static JobStage parse(String name) {
        return Arrays.stream(values()).filter(s -> s.wireName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("job stage: expected one of "
                        + Arrays.stream(values()).map(JobStage::wireName).toList() + ", found " + name));
    }
}
