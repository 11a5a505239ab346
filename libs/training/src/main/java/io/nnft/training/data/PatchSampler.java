package io.nnft.training.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * nnUNetDataLoader's patch selection: a random case per batch slot; the last
 * {@code batch − round(batch · (1 − oversample))} slots are forced to contain foreground (the patch centred
 * on a random voxel of a random present class); others are uniform over all positions that keep the patch
 * within the image plus the allowed padding. Crops outside the image are padded (image 0, seg −1).
 */
public final class PatchSampler {
    public static final double NNUNET_OVERSAMPLE_FOREGROUND = 0.33;

    private final int[] patch;
    private final int[] needToPad;
    private final double oversampleForeground;

    /**
     * @param patch      the patch the loader cuts (nnU-Net's initial, larger patch when augmenting)
     * @param finalPatch the network's patch; the difference is the padding nnU-Net allows
     */
    public PatchSampler(int[] patch, int[] finalPatch, double oversampleForeground) {
        this.patch = patch.clone();
        this.needToPad = new int[3];
        for (int d = 0; d < 3; d++) {
            needToPad[d] = patch[d] - finalPatch[d];
        }
        this.oversampleForeground = oversampleForeground;
    }

    public int[] patch() {
        return patch.clone();
    }

    /** nnU-Net's get_do_oversample: {@code !(slot < round(batch · (1 − p)))}, Python rounding (half to even). */
    public boolean forceForeground(int slot, int batchSize) {
        return !(slot < Math.rint(batchSize * (1 - oversampleForeground)));
    }

    /** Lower corner of the patch in image coordinates (may be negative: padding). */
    public int[] lowerCorner(int[] shape, boolean forceFg, Map<Integer, int[][]> classLocations, SplittableRandom rnd) {
        int[] pad = needToPad.clone();
        int[] lbs = new int[3];
        int[] ubs = new int[3];
        for (int d = 0; d < 3; d++) {
            if (pad[d] + shape[d] < patch[d]) {
                pad[d] = patch[d] - shape[d];
            }
            lbs[d] = Math.floorDiv(-pad[d], 2);
            ubs[d] = shape[d] + pad[d] / 2 + pad[d] % 2 - patch[d];
        }
        int[] lower = new int[3];
        int[] voxel = null;
        if (forceFg && classLocations != null) {
            List<int[][]> eligible = new ArrayList<>();
            for (Map.Entry<Integer, int[][]> e : classLocations.entrySet()) {
                if (e.getKey() > 0 && e.getValue().length > 0) {
                    eligible.add(e.getValue());
                }
            }
            if (!eligible.isEmpty()) {
                int[][] locs = eligible.get(rnd.nextInt(eligible.size()));
                voxel = locs[rnd.nextInt(locs.length)];
            }
        }
        for (int d = 0; d < 3; d++) {
            // voxel is [c, z, y, x]: its spatial axis d is entry d + 1. Only the lower bound is clamped (as nnU-Net).
            lower[d] = voxel != null ? Math.max(lbs[d], voxel[d + 1] - patch[d] / 2)
                    : lbs[d] + rnd.nextInt(ubs[d] - lbs[d] + 1);
        }
        return lower;
    }

    /** Cuts the patch at {@code lower}, padding the image with 0 and the segmentation with −1. */
    public Sample crop(PreprocessedCase c, int[] lower) {
        int[] s = c.shape();
        int pv = patch[0] * patch[1] * patch[2];
        float[] img = new float[c.channels() * pv];
        short[] seg = new short[pv];
        java.util.Arrays.fill(seg, (short) -1);
        int caseVoxels = c.voxels();
        for (int z = 0; z < patch[0]; z++) {
            int sz = lower[0] + z;
            if (sz < 0 || sz >= s[0]) {
                continue;
            }
            for (int y = 0; y < patch[1]; y++) {
                int sy = lower[1] + y;
                if (sy < 0 || sy >= s[1]) {
                    continue;
                }
                int x0 = Math.max(0, -lower[2]);
                int x1 = Math.min(patch[2], s[2] - lower[2]);
                if (x1 <= x0) {
                    continue;
                }
                int src = (sz * s[1] + sy) * s[2] + lower[2] + x0;
                int dst = (z * patch[1] + y) * patch[2] + x0;
                System.arraycopy(c.seg(), src, seg, dst, x1 - x0);
                for (int ch = 0; ch < c.channels(); ch++) {
                    System.arraycopy(c.data(), ch * caseVoxels + src, img, ch * pv + dst, x1 - x0);
                }
            }
        }
        return new Sample(c.channels(), patch, img, seg);
    }
}
