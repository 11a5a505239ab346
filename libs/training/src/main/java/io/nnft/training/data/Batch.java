package io.nnft.training.data;

import io.nnft.imageio.NdArray;

/**
 * One batch as the train step takes it: data (N, C, z, y, x) float32 and one int16 target per
 * deep-supervision output, full resolution first.
 */
public record Batch(long index, NdArray data, NdArray[] targets) {
}
