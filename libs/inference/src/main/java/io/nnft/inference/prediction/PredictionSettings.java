package io.nnft.inference.prediction;

import java.util.Arrays;

/**
 * How the sliding window runs: nnU-Net's tile_step_size (0.5), use_gaussian (true), use_mirroring with the
 * checkpoint's inference_allowed_mirroring_axes, plus how many tiles go through the network at once
 * (nnU-Net always runs one; instance norm works per sample, so batching changes nothing but speed).
 *
 * @param mirrorAxes spatial axes (0 = first axis of the patch) that test-time mirroring may flip
 */
public record PredictionSettings(double stepSize, boolean useGaussian, boolean useMirroring, int[] mirrorAxes,
                                 int tilesPerBatch) {
    public PredictionSettings {
        if (!(stepSize > 0 && stepSize <= 1)) {
            throw new IllegalArgumentException("step size must be in (0, 1], found " + stepSize);
        }
        if (tilesPerBatch < 1) {
            throw new IllegalArgumentException("tiles per batch must be at least 1, found " + tilesPerBatch);
        }
        mirrorAxes = mirrorAxes == null ? new int[0] : mirrorAxes.clone();
        for (int a : mirrorAxes) {
            if (a < 0 || a > 2) {
                throw new IllegalArgumentException("mirror axes are spatial axes 0..2, found " + Arrays.toString(mirrorAxes));
            }
        }
    }

    /** nnU-Net's defaults: step 0.5, Gaussian weighting, mirroring over {@code mirrorAxes}. */
    public static PredictionSettings defaults(int[] mirrorAxes) {
        return new PredictionSettings(0.5, true, true, mirrorAxes, 2);
    }

    public PredictionSettings withMirroring(boolean on) {
        return new PredictionSettings(stepSize, useGaussian, on, mirrorAxes, tilesPerBatch);
    }

    public PredictionSettings withStepSize(double step) {
        return new PredictionSettings(step, useGaussian, useMirroring, mirrorAxes, tilesPerBatch);
    }

    public PredictionSettings withTilesPerBatch(int n) {
        return new PredictionSettings(stepSize, useGaussian, useMirroring, mirrorAxes, n);
    }

    /**
     * itertools.combinations of the allowed axes, sizes 1..n, in Python's order: the flips added to the
     * plain prediction. Empty when mirroring is off.
     */
    public int[][] mirrorCombinations() {
        if (!useMirroring || mirrorAxes.length == 0) {
            return new int[0][];
        }
        java.util.List<int[]> out = new java.util.ArrayList<>();
        int n = mirrorAxes.length;
        for (int k = 1; k <= n; k++) {
            combinations(k, 0, new int[k], 0, out);
        }
        return out.toArray(new int[0][]);
    }

    private void combinations(int k, int start, int[] current, int depth, java.util.List<int[]> out) {
        if (depth == k) {
            out.add(current.clone());
            return;
        }
        for (int i = start; i < mirrorAxes.length; i++) {
            current[depth] = mirrorAxes[i];
            combinations(k, i + 1, current, depth + 1, out);
        }
    }
}
