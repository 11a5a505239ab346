package io.nnft.training.synth;

/** One generated case: image (z, y, x) and labels of the same shape. */
public record SyntheticCase(String id, int[] shape, float[] image, short[] labels) {
}
