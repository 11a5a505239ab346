package io.nnft.classification;

import io.nnft.training.data.PreprocessedCase;
import io.nnft.training.data.Sample;

import java.util.SplittableRandom;

/**
 * What of a case the classifier sees: the whole case when it fits the plan's patch size (centred, zero-padded
 * to the patch), else a patch-sized crop along the axes where it is larger — random (training with crop
 * RANDOM) or centred (validation, prediction, crop CENTER). For training with augmentation the window is
 * widened symmetrically to the loader's larger patch so the spatial transform has context to rotate and
 * scale, then cuts the patch around the same centre.
 */
public final class CaseWindow {
    private CaseWindow() {
    }

    /**
     * @param patch  the plan's patch size
     * @param window the size cut out (patch, or the larger loader patch for augmentation)
     * @param random null for a centred crop
     */
    public static Sample cut(PreprocessedCase c, int[] patch, int[] window, SplittableRandom random) {
        int[] lo = new int[3];
        for (int d = 0; d < 3; d++) {
            int size = c.shape()[d];
            int patchLo = size <= patch[d] || random == null ? Math.floorDiv(size - patch[d], 2)
                    : random.nextInt(size - patch[d] + 1);
            lo[d] = patchLo - Math.floorDiv(window[d] - patch[d], 2);
        }
        return cut(c.channels(), c.shape(), c.data(), lo, window);
    }

    /** Window {@code size} at lower corner {@code lo} (may reach outside: zeros there). */
    static Sample cut(int channels, int[] shape, float[] data, int[] lo, int[] size) {
        int wv = size[0] * size[1] * size[2];
        int v = shape[0] * shape[1] * shape[2];
        float[] img = new float[channels * wv];
        for (int z = 0; z < size[0]; z++) {
            int sz = z + lo[0];
            if (sz < 0 || sz >= shape[0]) {
                continue;
            }
            for (int y = 0; y < size[1]; y++) {
                int sy = y + lo[1];
                if (sy < 0 || sy >= shape[1]) {
                    continue;
                }
                int x0 = Math.max(0, -lo[2]);
                int x1 = Math.min(size[2], shape[2] - lo[2]);
                if (x1 <= x0) {
                    continue;
                }
                for (int ch = 0; ch < channels; ch++) {
                    int src = ch * v + (sz * shape[1] + sy) * shape[2] + x0 + lo[2];
                    int dst = ch * wv + (z * size[1] + y) * size[2] + x0;
                    System.arraycopy(data, src, img, dst, x1 - x0);
                }
            }
        }
        return new Sample(channels, size, img, new short[wv]);
    }
}
