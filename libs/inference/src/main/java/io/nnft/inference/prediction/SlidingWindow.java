package io.nnft.inference.prediction;

import java.util.Arrays;

/**
 * The geometry of nnU-Net's sliding-window inference (sliding_window_prediction.py): where the tiles
 * start along each axis, and the Gaussian importance map that weights every tile's logits so voxels
 * near a tile's border, where the network sees little context, count less.
 */
public final class SlidingWindow {
    /** nnU-Net's sigma_scale: sigma = 1/8 of the tile size per axis. */
    public static final double SIGMA_SCALE = 1.0 / 8;
    /** nnU-Net's value_scaling_factor for the importance map (its maximum). */
    public static final double VALUE_SCALING_FACTOR = 10;
    /** scipy.ndimage.gaussian_filter's default truncate: the kernel reaches 4 sigma. */
    private static final double TRUNCATE = 4.0;

    private SlidingWindow() {
    }

    /**
     * compute_steps_for_sliding_window: per axis, the fewest tiles whose step is at most
     * {@code stepSize * tile}, spread evenly between 0 and {@code image - tile} (rounded half to even).
     */
    public static int[][] computeSteps(int[] imageSize, int[] tileSize, double stepSize) {
        if (imageSize.length != tileSize.length) {
            throw new IllegalArgumentException("image size " + Arrays.toString(imageSize) + " and tile size "
                    + Arrays.toString(tileSize) + " must have the same number of axes");
        }
        if (!(stepSize > 0 && stepSize <= 1)) {
            throw new IllegalArgumentException("step size must be in (0, 1], found " + stepSize);
        }
        int[][] steps = new int[imageSize.length][];
        for (int a = 0; a < imageSize.length; a++) {
            if (imageSize[a] < tileSize[a]) {
                throw new IllegalArgumentException("image size " + Arrays.toString(imageSize)
                        + " must be at least the tile size " + Arrays.toString(tileSize) + " on every axis (pad first)");
            }
            double targetStep = tileSize[a] * stepSize;
            int numSteps = (int) Math.ceil((imageSize[a] - tileSize[a]) / targetStep) + 1;
            int maxStep = imageSize[a] - tileSize[a];
            double actualStep = numSteps > 1 ? (double) maxStep / (numSteps - 1) : 0;
            steps[a] = new int[numSteps];
            for (int i = 0; i < numSteps; i++) {
                steps[a][i] = (int) Math.rint(actualStep * i);
            }
        }
        return steps;
    }

    /**
     * compute_gaussian: a unit impulse at the tile centre ({@code size // 2}) filtered by scipy's
     * gaussian_filter (sigma = {@code sigmaScale * size}, mode constant, kernel truncated at 4 sigma),
     * divided by its maximum and multiplied by {@code valueScalingFactor}; zeros (beyond the kernel's reach)
     * become the smallest non-zero value so no voxel ends up with weight 0. Row-major over the tile.
     */
    public static float[] gaussian(int[] tileSize, double sigmaScale, double valueScalingFactor) {
        int dims = tileSize.length;
        double[][] profile = new double[dims][];
        double max = 1;
        for (int a = 0; a < dims; a++) {
            double sigma = tileSize[a] * sigmaScale;
            int radius = (int) (TRUNCATE * sigma + 0.5);
            double[] kernel = new double[2 * radius + 1];
            double sum = 0;
            for (int k = -radius; k <= radius; k++) {
                kernel[k + radius] = Math.exp(-0.5 / (sigma * sigma) * k * k);
                sum += kernel[k + radius];
            }
            int center = tileSize[a] / 2;
            profile[a] = new double[tileSize[a]];
            for (int i = 0; i < tileSize[a]; i++) {
                int d = i - center;
                profile[a][i] = Math.abs(d) <= radius ? kernel[d + radius] / sum : 0;
            }
            max *= profile[a][center];
        }
        int n = 1;
        for (int s : tileSize) {
            n = Math.multiplyExact(n, s);
        }
        float[] out = new float[n];
        int[] idx = new int[dims];
        float minNonZero = Float.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            double v = 1;
            for (int a = 0; a < dims; a++) {
                v *= profile[a][idx[a]];
            }
            float f = (float) (v / max * valueScalingFactor);
            out[i] = f;
            if (f > 0 && f < minNonZero) {
                minNonZero = f;
            }
            for (int a = dims - 1; a >= 0; a--) {
                if (++idx[a] < tileSize[a]) {
                    break;
                }
                idx[a] = 0;
            }
        }
        for (int i = 0; i < n; i++) {
            if (out[i] == 0) {
                out[i] = minNonZero;
            }
        }
        return out;
    }

    /** The importance map nnU-Net uses: sigma 1/8, maximum 10. */
    public static float[] gaussian(int[] tileSize) {
        return gaussian(tileSize, SIGMA_SCALE, VALUE_SCALING_FACTOR);
    }
}
