package io.nnft.preprocessing.normalization;

/** 8-bit RGB channels divided by 255; refuses values outside [0, 255] as nnU-Net does. */
public final class RGBTo01Normalization implements ImageNormalization {
    @Override
    public void run(float[] image, short[] seg) {
        for (int i = 0; i < image.length; i++) {
            float v = image[i];
            if (!(v >= 0f && v <= 255f)) {
                throw new IllegalArgumentException("RGBTo01Normalization expects 8-bit values in [0, 255], found "
                        + v + " at voxel " + i + ": these images do not look like RGB");
            }
        }
        for (int i = 0; i < image.length; i++) {
            image[i] /= 255f;
        }
    }
}
