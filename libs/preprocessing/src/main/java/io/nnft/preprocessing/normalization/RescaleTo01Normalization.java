package io.nnft.preprocessing.normalization;

/** Per-case min-max scaling to [0, 1] (divisor at least 1e-8). */
public final class RescaleTo01Normalization implements ImageNormalization {
    @Override
    public void run(float[] image, short[] seg) {
        float min = Float.POSITIVE_INFINITY;
        for (float v : image) {
            min = Math.min(min, v);
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < image.length; i++) {
            image[i] -= min;
            max = Math.max(max, image[i]);
        }
        float div = Math.max(max, 1e-8f);
        for (int i = 0; i < image.length; i++) {
            image[i] /= div;
        }
    }
}
