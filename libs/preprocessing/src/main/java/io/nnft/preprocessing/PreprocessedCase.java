package io.nnft.preprocessing;

/**
 * DefaultPreprocessor's output for one case: normalized, resampled channels (c, z, y, x), the label
 * map (1, z, y, x; -1 outside the nonzero mask) and the properties.
 */
public record PreprocessedCase(String identifier, float[][] data, int[] shape, short[] seg,
                               CaseProperties properties) {
    /** nnU-Net stores the label map as int8 unless a label exceeds 127, then int16. */
    public boolean segFitsInt8() {
        for (short s : seg) {
            if (s > 127 || s < -128) {
                return false;
            }
        }
        return true;
    }

    public long voxels() {
        long n = 1;
        for (int s : shape) {
            n *= s;
        }
        return n;
    }
}
