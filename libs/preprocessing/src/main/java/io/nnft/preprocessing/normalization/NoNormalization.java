package io.nnft.preprocessing.normalization;

/** Leaves intensities as they are (only the float32 conversion nnU-Net also does). */
public final class NoNormalization implements ImageNormalization {
    @Override
    public void run(float[] image, short[] seg) {
    }
}
