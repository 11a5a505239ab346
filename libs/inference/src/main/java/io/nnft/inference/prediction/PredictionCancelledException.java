package io.nnft.inference.prediction;

/** A {@link TileProgress} stopped a sliding-window prediction; says how far it got. */
public final class PredictionCancelledException extends RuntimeException {
    private final int tilesDone;
    private final int tiles;

    public PredictionCancelledException(int tilesDone, int tiles) {
        super("prediction stopped after " + tilesDone + " of " + tiles + " tiles");
        this.tilesDone = tilesDone;
        this.tiles = tiles;
    }

    public int tilesDone() {
        return tilesDone;
    }

    public int tiles() {
        return tiles;
    }
}
