package io.nnft.training;

import io.nnft.training.data.Batch;

/**
 * A seam around every training iteration, for fault-injection tests: the batch the step trains on may be
 * replaced (e.g. by one full of NaN, so the real step produces a NaN loss and must skip it). Production code
 * passes {@link #NONE}; no setting or flag reaches it.
 */
@FunctionalInterface
public interface StepDecorator {
    StepDecorator NONE = (epoch, iteration, batch) -> batch;

    /** The batch iteration {@code iteration} of epoch {@code epoch} trains on. */
    Batch beforeStep(int epoch, int iteration, Batch batch);
}
