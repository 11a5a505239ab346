package io.nnft.inference.prediction;

/**
 * A prediction in the input image's array order (z, y, x as read from the file): the label map and,
 * when asked for, the probabilities (one volume per head; background 1 outside the crop, as nnU-Net).
 *
 * @param probabilities null unless requested
 */
public record ExportedPrediction(int[] shape, short[] segmentation, float[][] probabilities) {
}
