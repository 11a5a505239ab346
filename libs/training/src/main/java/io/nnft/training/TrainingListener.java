package io.nnft.training;

import io.nnft.network.ParameterReport;

import java.util.List;

/** Progress callbacks for the CLI (progress bar) and the services (TrainingProgress events). All optional. */
public interface TrainingListener {
    /** Informational line (warnings, checkpoint writes, early stopping). */
    default void message(String text) {
    }

    /** The trainable-parameter report, at start and whenever the frozen set changes. */
    default void parameterReport(int epoch, List<ParameterReport.Row> rows) {
    }

    default void epochStarted(int epoch, int epochs, int iterations) {
    }

    default void iterationDone(int epoch, int iteration, float loss) {
    }

    /** @param record the task's record ({@link EpochSummary#metrics} names what it measured) */
    default void epochEnded(EpochSummary record, List<String> classNames, int epochs, double etaSeconds) {
    }

    default void finished(TrainingResult<?> result) {
    }

    /**
     * Polled between iterations: true stops training at once (a cancelled job). No new checkpoint is written:
     * checkpoint_latest.pth of the last finished epoch is what a resume continues from.
     */
    default boolean cancelRequested() {
        return false;
    }

    TrainingListener NONE = new TrainingListener() {
    };
}
