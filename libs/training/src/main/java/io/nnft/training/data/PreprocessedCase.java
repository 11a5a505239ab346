package io.nnft.training.data;

import java.util.Arrays;
import java.util.Map;

/**
 * One preprocessed training case as nnU-Net's data loader sees it: float32 image (channel-major, then z, y,
 * x), int segmentation (1 channel; -1 outside the nonzero mask) and the foreground class locations
 * (label → voxel coordinates [c, z, y, x]) used for oversampling.
 */
public record PreprocessedCase(String id, int channels, int[] shape, float[] data, short[] seg,
                               Map<Integer, int[][]> classLocations) {
    public PreprocessedCase {
        long voxels = (long) shape[0] * shape[1] * shape[2];
        if (shape.length != 3 || data.length != voxels * channels || seg.length != voxels) {
            throw new IllegalArgumentException("case " + id + ": data " + data.length + " values for " + channels
                    + " channels of " + Arrays.toString(shape) + ", seg " + seg.length + " values");
        }
    }

    public int voxels() {
        return shape[0] * shape[1] * shape[2];
    }
}
