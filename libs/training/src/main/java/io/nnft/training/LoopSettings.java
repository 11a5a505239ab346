package io.nnft.training;

/** The knobs the epoch loop ({@link Trainer}) reads; each task's settings add their own. */
public interface LoopSettings {
    int epochs();

    int iterationsPerEpoch();

    double maxGradNorm();

    int checkpointEvery();

    /** Null: no early stopping (nnU-Net). */
    Integer patience();

    double minDelta();

    /** Null: the task's default, else drawn at start; recorded in the checkpoints so a resume continues the stream. */
    Long seed();

    int dataThreads();

    /** Training batches produced ahead of the step. */
    default int prefetch() {
        return 4;
    }

    FreezeSettings freeze();

    /** Consecutive steps with a non-finite loss or gradient norm (skipped, not applied) before the run diverges. */
    int maxSkippedSteps();
}
