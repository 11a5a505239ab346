package io.nnft.planning;

import io.nnft.pycompat.LegacyRandomState;

import java.util.ArrayList;
import java.util.List;

/**
 * nnU-Net's {@code analyze_case}: crop to the nonzero bounding box, keep the foreground voxels
 * (segmentation > 0 inside the crop) per channel, and note where each channel's samples start in the
 * seeded generator.
 */
public final class CaseAnalyzer {
    /** nnU-Net seeds every case's sampler with 1234. */
    public static final long SEED = 1234;

    private CaseAnalyzer() {
    }

    public static CaseFingerprint analyze(CaseData c, int numSamples) {
        int[] box = NonzeroBoundingBox.of(c);
        int[] shape = c.shape();
        int[] after = {box[1] - box[0], box[3] - box[2], box[5] - box[4]};
        double relative = ((double) ((long) after[0] * after[1] * after[2]))
                / ((double) ((long) shape[0] * shape[1] * shape[2]));

        float[] seg = c.seg();
        float[][] ch = c.channels();
        int nc = ch.length;
        int maxFg = after[0] * after[1] * after[2];
        float[][] fg = new float[nc][];
        int count = 0;
        int ny = shape[1], nx = shape[2];
        for (int z = box[0]; z < box[1]; z++) {
            for (int y = box[2]; y < box[3]; y++) {
                int row = (z * ny + y) * nx;
                for (int x = box[4]; x < box[5]; x++) {
                    int i = row + x;
                    float s = seg[i];
                    if (Float.isNaN(s)) {
                        throw new PlansException("case " + c.id() + ": segmentation contains NaN at (z,y,x)=("
                                + z + "," + y + "," + x + ")");
                    }
                    for (int k = 0; k < nc; k++) {
                        if (Float.isNaN(ch[k][i])) {
                            throw new PlansException("case " + c.id() + ": channel " + k
                                    + " contains NaN at (z,y,x)=(" + z + "," + y + "," + x + ")");
                        }
                    }
                    if (s > 0) {
                        if (count == 0) {
                            for (int k = 0; k < nc; k++) {
                                fg[k] = new float[Math.min(maxFg, 1 << 16)];
                            }
                        } else if (count == fg[0].length) {
                            int grown = (int) Math.min(maxFg, 2L * count);
                            for (int k = 0; k < nc; k++) {
                                fg[k] = java.util.Arrays.copyOf(fg[k], grown);
                            }
                        }
                        for (int k = 0; k < nc; k++) {
                            fg[k][count] = ch[k][i];
                        }
                        count++;
                    }
                }
            }
        }
        List<ForegroundValues> values = new ArrayList<>();
        for (int k = 0; k < nc; k++) {
            values.add(ForegroundValues.of(count == 0 ? new float[0] : fg[k], count));
        }
        // channels draw one after another from one generator; snapshot where each starts
        List<LegacyRandomState> starts = new ArrayList<>();
        LegacyRandomState rs = new LegacyRandomState(SEED);
        for (int k = 0; k < nc; k++) {
            starts.add(rs.copy());
            if (k < nc - 1 && count > 0) {
                for (int j = 0; j < numSamples; j++) {
                    rs.randint(count);
                }
            }
        }
        return new CaseFingerprint(c.id(), after, c.spacing().clone(), relative, values, starts);
    }
}
