package io.nnft.classification;

import io.nnft.network.ParameterReport;

import java.util.List;

/**
 * Progress callbacks of classification training, the sibling of {@link io.nnft.training.TrainingListener}
 * with a classification epoch record. All optional.
 */
public interface ClassificationListener {
    /** Informational line (warnings, best checkpoints, early stopping). */
    default void message(String text) {
    }

    /** The trainable-parameter report, at start and whenever the frozen set changes. */
    default void parameterReport(int epoch, List<ParameterReport.Row> rows) {
    }

    default void epochStarted(int epoch, int epochs, int iterations) {
    }

    default void iterationDone(int epoch, int iteration, float loss) {
    }

    default void epochEnded(ClassificationEpochRecord record, int epochs, double etaSeconds) {
    }

    default void finished(ClassificationResult result) {
    }

    /** Polled between iterations: true stops at once; checkpoint_latest of the last finished epoch stays. */
    default boolean cancelRequested() {
        return false;
    }

    ClassificationListener NONE = new ClassificationListener() {
    };
}
