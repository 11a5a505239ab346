package io.nnft.inference.prediction;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.nnft.network.Networks;
import io.nnft.network.PlainConvUNet;
import io.nnft.network.UsageTrackingParameterStore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * nnUNetPredictor.predict_sliding_window_return_logits for preprocessed data (c, z, y, x): pad to at least
 * the patch size, run the network(s) on every tile (optionally mirrored, the flips averaged), weight each
 * tile's logits with the Gaussian importance map, add them up, divide by the summed weights and remove the
 * padding. Several networks (folds) are averaged, as nnU-Net does with its list of parameters.
 * A 2d configuration (patch with 2 axes) predicts every slice of the first axis on its own.
 *
 * <p>Memory: the padded input, one float32 accumulator per head and one for the weights; the network sees
 * {@code tilesPerBatch} tiles at a time, and everything DJL allocates for a batch is freed after it.
 * The accumulators are float32 where nnU-Net uses float16 on the device: more precise, same result up to
 * rounding.
 */
public final class SlidingWindowPredictor {
    private final List<PlainConvUNet> networks;
    private final NDManager manager;
    private final int[] patchSize;
    private final PredictionSettings settings;
    private final int heads;

    /**
     * @param networks  networks of the same configuration (run in eval mode, full-resolution output only); their
     *                  logits are averaged
     * @param manager   the manager (device) the networks' parameters live on; inputs are created under it
     * @param patchSize the configuration's patch size (3 axes, or 2 for a 2d configuration)
     */
    public SlidingWindowPredictor(List<PlainConvUNet> networks, NDManager manager, int[] patchSize,
                                  PredictionSettings settings) {
        if (networks.isEmpty()) {
            throw new IllegalArgumentException("expected at least one network");
        }
        int dims = networks.get(0).config().spatialDims();
        if (patchSize.length != dims) {
            throw new IllegalArgumentException("patch size " + Arrays.toString(patchSize) + " has " + patchSize.length
                    + " axes, the network " + dims);
        }
        for (int a : settings.mirrorAxes()) {
            if (a >= dims) {
                throw new IllegalArgumentException("mirror axis " + a + " does not exist in a " + dims + "d network");
            }
        }
        this.networks = List.copyOf(networks);
        this.manager = manager;
        this.patchSize = patchSize.clone();
        this.settings = settings;
        this.heads = networks.get(0).config().numSegmentationHeads();
    }

    public int heads() {
        return heads;
    }

    /** The tiles of a padded 3d image: start (z, y, x) of each, the z size being 1 for a 2d configuration. */
    List<int[]> tiles(int[] paddedShape) {
        List<int[]> out = new ArrayList<>();
        if (patchSize.length == 2) {
            int[][] steps = SlidingWindow.computeSteps(new int[] {paddedShape[1], paddedShape[2]}, patchSize,
                    settings.stepSize());
            for (int z = 0; z < paddedShape[0]; z++) {
                for (int y : steps[0]) {
                    for (int x : steps[1]) {
                        out.add(new int[] {z, y, x});
                    }
                }
            }
            return out;
        }
        int[][] steps = SlidingWindow.computeSteps(paddedShape, patchSize, settings.stepSize());
        for (int z : steps[0]) {
            for (int y : steps[1]) {
                for (int x : steps[2]) {
                    out.add(new int[] {z, y, x});
                }
            }
        }
        return out;
    }

    /**
     * Logits (heads, z, y, x) at the preprocessed resolution.
     *
     * @param data  preprocessed channels, each row-major (z, y, x)
     * @param shape (z, y, x)
     */
    public float[][] predictLogits(float[][] data, int[] shape) {
        return predictLogits(data, shape, TileProgress.NONE);
    }

    /**
     * As {@link #predictLogits(float[][], int[])}, telling {@code progress} after every batch of tiles; when it
     * answers false the prediction stops with a {@link PredictionCancelledException}.
     */
    public float[][] predictLogits(float[][] data, int[] shape, TileProgress progress) {
        int channels = networks.get(0).config().inputChannels();
        if (data.length != channels) {
            throw new IllegalArgumentException("the network expects " + channels + " input channels, found " + data.length);
        }
        if (shape.length != 3) {
            throw new IllegalArgumentException("expected a (z, y, x) shape, found " + Arrays.toString(shape));
        }
        Padding padding = Padding.toAtLeast(shape, patchSize);
        int[] ps = padding.paddedShape();
        float[][] padded = new float[channels][];
        for (int c = 0; c < channels; c++) {
            padded[c] = padding.pad(data[c]);
        }
        int[] tile = patchSize.length == 2 ? new int[] {1, patchSize[0], patchSize[1]} : patchSize.clone();
        int tileVoxels = tile[0] * tile[1] * tile[2];
        float[] gaussian = settings.useGaussian() ? SlidingWindow.gaussian(patchSize) : ones(tileVoxels);
        int n = Padding.size(ps);
        float[][] acc = new float[heads][n];
        float[] weights = new float[n];
        List<int[]> tiles = tiles(ps);
        ParameterStore ps0 = new UsageTrackingParameterStore(manager);
        int[][] flips = settings.mirrorCombinations();
        for (int first = 0; first < tiles.size(); first += settings.tilesPerBatch()) {
            List<int[]> batch = tiles.subList(first, Math.min(tiles.size(), first + settings.tilesPerBatch()));
            float[] input = new float[batch.size() * channels * tileVoxels];
            for (int b = 0; b < batch.size(); b++) {
                for (int c = 0; c < channels; c++) {
                    copyTile(padded[c], ps, batch.get(b), tile, input, (b * channels + c) * tileVoxels, true);
                }
            }
            float[] logits = runBatch(ps0, input, batch.size(), channels, flips);
            for (int b = 0; b < batch.size(); b++) {
                for (int h = 0; h < heads; h++) {
                    int off = (b * heads + h) * tileVoxels;
                    for (int i = 0; i < tileVoxels; i++) {
                        logits[off + i] *= gaussian[i];
                    }
                    addTile(acc[h], ps, batch.get(b), tile, logits, off);
                }
                addTile(weights, ps, batch.get(b), tile, gaussian, 0);
            }
            int done = first + batch.size();
            if (!progress.tilesDone(done, tiles.size())) {
                throw new PredictionCancelledException(done, tiles.size());
            }
        }
        for (int h = 0; h < heads; h++) {
            float[] a = acc[h];
            for (int i = 0; i < n; i++) {
                a[i] /= weights[i];
            }
            acc[h] = padding.crop(a);
        }
        return acc;
    }

    /** Network forward of one batch, mirrored copies averaged in, all networks averaged; (B, heads, tile) floats. */
    private float[] runBatch(ParameterStore store, float[] input, int batch, int channels, int[][] flips) {
        long[] dims = new long[2 + patchSize.length];
        dims[0] = batch;
        dims[1] = channels;
        for (int a = 0; a < patchSize.length; a++) {
            dims[2 + a] = patchSize[a];
        }
        try (NDManager scope = manager.newSubManager()) {
            return Networks.noGrad(() -> {
                NDArray x = scope.create(input, new Shape(dims));
                NDArray sum = null;
                for (PlainConvUNet net : networks) {
                    NDArray prediction = forwardInto(scope, net, store, x, null);
                    for (int[] axes : flips) {
                        prediction = prediction.add(forwardInto(scope, net, store, x, axes));
                    }
                    if (flips.length > 0) {
                        prediction = prediction.div(flips.length + 1);
                    }
                    sum = sum == null ? prediction : sum.add(prediction);
                }
                if (networks.size() > 1) {
                    sum = sum.div(networks.size());
                }
                return sum.toFloatArray();
            });
        }
    }

    /**
     * One forward (of {@code x} flipped over the spatial {@code axes}, flipped back; null = as it is) whose
     * activations live in their own manager, freed before the next: a full-resolution network on a batch of
     * 128^3 tiles holds gigabytes of them, and test-time mirroring runs eight forwards per batch. Only the
     * logits move to {@code target}.
     */
    private static NDArray forwardInto(NDManager target, PlainConvUNet net, ParameterStore store, NDArray x,
                                       int[] axes) {
        int[] nd = null;
        if (axes != null) {
            nd = new int[axes.length];
            for (int i = 0; i < axes.length; i++) {
                nd[i] = axes[i] + 2;
            }
        }
        try (NDManager activations = target.newSubManager()) {
            // results of an op live in its input's manager: so every activation lands in this one
            NDArray in = nd == null ? x.duplicate() : x.flip(nd);
            in.attach(activations);
            NDArray out = forward(net, store, in);
            if (nd != null) {
                out = out.flip(nd);
            }
            out.attach(target);
            return out;
        }
    }

    /**
     * Eval forward, full-resolution output only: the network's own deep-supervision switch is left as the
     * caller has it (a training loop validating mid-run keeps its setting).
     */
    private static NDArray forward(PlainConvUNet net, ParameterStore store, NDArray x) {
        boolean[] wanted = new boolean[net.numOutputs()];
        wanted[0] = true;
        return net.forwardOutputs(store, x, false, wanted)[0];
    }

    /** Copies a tile out of (or, with {@code out} false, into) a row-major volume. */
    static void copyTile(float[] volume, int[] shape, int[] start, int[] tile, float[] buffer, int offset, boolean out) {
        int row = tile[2];
        int i = offset;
        for (int z = 0; z < tile[0]; z++) {
            for (int y = 0; y < tile[1]; y++) {
                int src = ((start[0] + z) * shape[1] + start[1] + y) * shape[2] + start[2];
                if (out) {
                    System.arraycopy(volume, src, buffer, i, row);
                } else {
                    System.arraycopy(buffer, i, volume, src, row);
                }
                i += row;
            }
        }
    }

    /** Adds a tile into a row-major volume. */
    static void addTile(float[] volume, int[] shape, int[] start, int[] tile, float[] values, int offset) {
        int row = tile[2];
        int i = offset;
        for (int z = 0; z < tile[0]; z++) {
            for (int y = 0; y < tile[1]; y++) {
                int dst = ((start[0] + z) * shape[1] + start[1] + y) * shape[2] + start[2];
                for (int x = 0; x < row; x++) {
                    volume[dst + x] += values[i++];
                }
            }
        }
    }

    private static float[] ones(int n) {
        float[] f = new float[n];
        Arrays.fill(f, 1f);
        return f;
    }
}
