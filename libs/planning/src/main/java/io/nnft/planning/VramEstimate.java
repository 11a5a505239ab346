package io.nnft.planning;

/**
 * The planner's VRAM proxy for a PlainConvUNet: the number of feature-map elements its convolutions
 * produce for one patch ({@code PlainConvUNet.compute_conv_feature_map_size} in
 * dynamic_network_architectures, deep supervision off, so only the last segmentation layer counts).
 * Input channels do not enter: a conv's output size does not depend on them.
 */
public final class VramEstimate {
    private VramEstimate() {
    }

    public static long plainConvUNet(int[] patchSize, int[] featuresPerStage, int[][] strides,
                                     int[] nConvPerStage, int[] nConvPerStageDecoder, int numClasses) {
        int stages = featuresPerStage.length;
        int dim = patchSize.length;
        // encoder: stage s runs its convs at the size after its own stride
        long[][] sizes = new long[stages][];
        long[] size = new long[dim];
        for (int i = 0; i < dim; i++) {
            size[i] = patchSize[i];
        }
        long total = 0;
        for (int s = 0; s < stages; s++) {
            long[] next = new long[dim];
            for (int i = 0; i < dim; i++) {
                next[i] = size[i] / strides[s][i];
            }
            sizes[s] = next;
            total += (long) nConvPerStage[s] * featuresPerStage[s] * volume(next);
            size = next;
        }
        // decoder: stage s works at the resolution of encoder level L = stages - 2 - s
        for (int s = 0; s < stages - 1; s++) {
            int level = stages - 2 - s;
            long vol = volume(sizes[level]);
            total += (long) nConvPerStageDecoder[s] * featuresPerStage[level] * vol; // conv blocks
            total += (long) featuresPerStage[level] * vol;                           // transposed conv
            if (s == stages - 2) {
                total += (long) numClasses * vol;                                     // segmentation output
            }
        }
        return total;
    }

    private static long volume(long[] size) {
        long v = 1;
        for (long x : size) {
            v *= x;
        }
        return v;
    }
}
