package io.nnft.preprocessing.normalization;

import io.nnft.planning.IntensityProperties;

/**
 * Clip to the fingerprint's 0.5 and 99.5 foreground percentiles, then subtract the foreground mean and
 * divide by the foreground std (at least 1e-8). The same for every case, so CT units keep their meaning.
 */
public final class CTNormalization implements ImageNormalization {
    private final float lower;
    private final float upper;
    private final float mean;
    private final float std;

    public CTNormalization(IntensityProperties p) {
        this.lower = (float) p.percentile00_5();
        this.upper = (float) p.percentile99_5();
        this.mean = (float) p.mean();
        this.std = (float) Math.max(p.std(), 1e-8);
    }

    @Override
    public void run(float[] image, short[] seg) {
        for (int i = 0; i < image.length; i++) {
            float v = Math.min(Math.max(image[i], lower), upper);
            v -= mean;
            image[i] = v / std;
        }
    }
}
