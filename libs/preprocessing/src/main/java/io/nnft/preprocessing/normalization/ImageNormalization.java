package io.nnft.preprocessing.normalization;

import io.nnft.planning.IntensityProperties;

/**
 * One of nnU-Net's normalization schemes (default_normalization_schemes.py), applied in place to one
 * channel of a cropped case. Arithmetic is float32 as in nnU-Net (its target dtype); statistics are
 * accumulated in double and rounded to float32, which agrees with numpy's float32 pairwise sums to
 * about 1e-7 relative.
 */
public interface ImageNormalization {
    /**
     * @param image one channel, normalized in place
     * @param seg   the cropped label map (-1 outside the nonzero mask); used only by schemes that need it
     */
    void run(float[] image, short[] seg);

    /**
     * The scheme nnU-Net names in the plans' {@code normalization_schemes}.
     *
     * @param intensityProperties the fingerprint's foreground properties of this channel; only
     *                            CTNormalization needs them, may be null otherwise
     */
    static ImageNormalization of(String scheme, boolean useMaskForNorm, IntensityProperties intensityProperties) {
        switch (scheme) {
            case "CTNormalization":
                if (intensityProperties == null) {
                    throw new IllegalArgumentException("CTNormalization needs the fingerprint's "
                            + "foreground_intensity_properties_per_channel for this channel, found none");
                }
                return new CTNormalization(intensityProperties);
            case "ZScoreNormalization":
                return new ZScoreNormalization(useMaskForNorm);
            case "NoNormalization":
                return new NoNormalization();
            case "RescaleTo01Normalization":
                return new RescaleTo01Normalization();
            case "RGBTo01Normalization":
                return new RGBTo01Normalization();
            default:
                throw new IllegalArgumentException("unknown normalization scheme '" + scheme + "', expected one of "
                        + "CTNormalization, ZScoreNormalization, NoNormalization, RescaleTo01Normalization, "
                        + "RGBTo01Normalization");
        }
    }
}
