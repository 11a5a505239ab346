package io.nnft.preprocessing.resampling;

/** Label bookkeeping on primitive label maps. */
public final class Labels {
    private Labels() {
    }

    /** The distinct values of a label map in ascending order (np.unique). */
    public static short[] sortedUnique(short[] seg) {
        boolean[] seen = new boolean[65536];
        int count = 0;
        for (short v : seg) {
            int k = v + 32768;
            if (!seen[k]) {
                seen[k] = true;
                count++;
            }
        }
        short[] out = new short[count];
        int j = 0;
        for (int k = 0; k < seen.length; k++) {
            if (seen[k]) {
                out[j++] = (short) (k - 32768);
            }
        }
        return out;
    }
}
