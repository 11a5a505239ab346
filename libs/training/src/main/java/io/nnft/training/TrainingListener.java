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

    default void epochEnded(EpochRecord record, int epochs, double etaSeconds) {
    }

    default void finished(TrainingResult result) {
    }

    /** Polled between iterations: true stops training after writing checkpoint_latest (a cancelled job). */
    default boolean cancelRequested() {
        return false;
    }

    TrainingListener NONE = new TrainingListener() {
    };
}
