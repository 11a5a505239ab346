package io.nnft.preprocessing.normalization;

/**
 * Per-case z-score. With use_mask_for_norm only voxels with seg >= 0 (inside the nonzero mask) are
 * measured and changed, the rest keep their value (nnU-Net sets use_mask_for_norm when cropping to
 * the nonzero region shrank the images a lot, e.g. skull-stripped brains).
 */
public final class ZScoreNormalization implements ImageNormalization {
    private final boolean useMaskForNorm;

    public ZScoreNormalization(boolean useMaskForNorm) {
        this.useMaskForNorm = useMaskForNorm;
    }

    @Override
    public void run(float[] image, short[] seg) {
        boolean masked = useMaskForNorm && seg != null;
        double sum = 0;
        long n = 0;
        for (int i = 0; i < image.length; i++) {
            if (!masked || seg[i] >= 0) {
                sum += image[i];
                n++;
            }
        }
        if (n == 0) {
            // numpy's mean of nothing is NaN; nnU-Net would write NaN into the whole masked region, which is empty
            return;
        }
        float mean = (float) (sum / n);
        double sq = 0;
        for (int i = 0; i < image.length; i++) {
            if (!masked || seg[i] >= 0) {
                double d = image[i] - (double) mean;
                sq += d * d;
            }
        }
        float std = (float) Math.max((float) Math.sqrt(sq / n), 1e-8);
        for (int i = 0; i < image.length; i++) {
            if (!masked || seg[i] >= 0) {
                image[i] = (image[i] - mean) / std;
            }
        }
    }
}
