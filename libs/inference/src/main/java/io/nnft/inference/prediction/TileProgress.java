package io.nnft.inference.prediction;

/**
 * Told after each batch of sliding-window tiles: a large case at full resolution runs for minutes, so callers
 * show progress, and may stop it (cancel a job, or sample a few tiles in a benchmark).
 */
@FunctionalInterface
public interface TileProgress {
    TileProgress NONE = (done, total) -> true;

    /** @return false to stop the prediction */
    boolean tilesDone(int done, int total);
}
