package io.nnft.planning;

import java.util.ArrayList;
import java.util.List;

/**
 * nnU-Net's pooling/convolution topology for a spacing and patch size ({@code get_pool_and_conv_props}):
 * pool all axes whose spacing is within a factor 2 of the finest one while the feature map stays at
 * least {@code 2 * minFeatureMapSize} (a lone axis needs {@code 3 *}); kernels become 3 once an axis is
 * within factor 2 of the finest spacing; the patch is padded up to a multiple of {@code 2^pools}.
 *
 * @param numPoolPerAxis     pooling operations per axis
 * @param poolOpKernelSizes  strides per stage, the first stage is all ones
 * @param convKernelSizes    conv kernel per stage (the bottleneck always 3)
 * @param patchSize          the padded patch size
 * @param mustBeDivisibleBy  2^numPoolPerAxis
 */
public record NetworkTopology(int[] numPoolPerAxis, int[][] poolOpKernelSizes, int[][] convKernelSizes,
                              int[] patchSize, int[] mustBeDivisibleBy) {

    /** nnU-Net passes 999999 as max_numpool, i.e. no limit. */
    public static NetworkTopology compute(double[] spacing, double[] patchSize, int minFeatureMapSize) {
        int dim = spacing.length;
        double[] currentSpacing = spacing.clone();
        // sizes stay floating point: the median shape can be x.5 and nnU-Net keeps it so until padding
        double[] currentSize = patchSize.clone();
        List<int[]> pools = new ArrayList<>();
        pools.add(filled(dim, 1));
        List<int[]> kernels = new ArrayList<>();
        int[] numPool = new int[dim];
        int[] kernel = filled(dim, 1);

        while (true) {
            List<Integer> valid = new ArrayList<>();
            for (int i = 0; i < dim; i++) {
                if (currentSize[i] >= 2 * minFeatureMapSize) {
                    valid.add(i);
                }
            }
            if (valid.isEmpty()) {
                break;
            }
            double minSpacingOfValid = Double.POSITIVE_INFINITY;
            for (int i : valid) {
                minSpacingOfValid = Math.min(minSpacingOfValid, currentSpacing[i]);
            }
            final double msv = minSpacingOfValid;
            valid.removeIf(i -> currentSpacing[i] / msv >= 2);
            if (valid.size() == 1 && currentSize[valid.get(0)] < 3 * minFeatureMapSize) {
                break;
            }
            if (valid.isEmpty()) {
                break;
            }
            double minSpacing = Double.POSITIVE_INFINITY;
            for (double s : currentSpacing) {
                minSpacing = Math.min(minSpacing, s);
            }
            for (int d = 0; d < dim; d++) {
                if (kernel[d] != 3 && currentSpacing[d] / minSpacing < 2) {
                    kernel[d] = 3;
                }
            }
            int[] pool = filled(dim, 1);
            for (int v : valid) {
                pool[v] = 2;
                numPool[v]++;
                currentSpacing[v] *= 2;
                currentSize[v] = Math.ceil(currentSize[v] / 2);
            }
            pools.add(pool);
            kernels.add(kernel.clone());
        }
        int[] divisible = new int[dim];
        for (int i = 0; i < dim; i++) {
            divisible[i] = 1 << numPool[i];
        }
        kernels.add(filled(dim, 3));
        return new NetworkTopology(numPool, pools.toArray(int[][]::new), kernels.toArray(int[][]::new),
                padShape(patchSize, divisible), divisible);
    }

    public static NetworkTopology compute(double[] spacing, int[] patchSize, int minFeatureMapSize) {
        double[] p = new double[patchSize.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = patchSize[i];
        }
        return compute(spacing, p, minFeatureMapSize);
    }

    public int numStages() {
        return poolOpKernelSizes.length;
    }

    /** nnU-Net's pad_shape: next multiple (a multiple stays), truncated to int like astype(int). */
    static int[] padShape(double[] shape, int[] divisible) {
        int[] out = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            double rem = pythonMod(shape[i], divisible[i]);
            double padded = shape[i] + divisible[i] - rem;
            if (rem == 0) {
                padded -= divisible[i];
            }
            out[i] = (int) padded;
        }
        return out;
    }

    private static double pythonMod(double a, double b) {
        double r = a % b;
        return (r != 0 && (r < 0) != (b < 0)) ? r + b : r;
    }

    private static int[] filled(int n, int v) {
        int[] a = new int[n];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
