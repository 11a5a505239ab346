package io.nnft.preprocessing.sampling;

import io.nnft.pycompat.LegacyRandomState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * nnU-Net's _sample_foreground_locations: for each foreground class (or region) the voxels that
 * carry it, of which min(10000, n) but at least ceil(1% of n) are drawn without replacement with one
 * RandomState(1234) shared across classes in order. Training oversamples patches around them.
 * Locations are {@code [0, z, y, x]} (the leading channel index of the (1, z, y, x) label map).
 */
public final class ClassLocations {
    public static final int NUM_SAMPLES = 10000;
    public static final double MIN_PERCENT_COVERAGE = 0.01;
    public static final long SEED = 1234;

    private ClassLocations() {
    }

    /**
     * @param seg     final (resampled) label map, row-major with {@code shape} (z, y, x)
     * @param classes each entry one class (one label) or one region (several labels, any of them counts);
     *                keys of the result are {@link #key} of the entry
     * @return per class key, the sampled locations as {@code int[k][1 + dims]}
     */
    public static Map<String, int[][]> sample(short[] seg, int[] shape, List<short[]> classes) {
        LegacyRandomState rnd = new LegacyRandomState(SEED);
        Map<String, int[][]> out = new LinkedHashMap<>();
        for (short[] labels : classes) {
            int count = 0;
            for (short v : seg) {
                if (contains(labels, v)) {
                    count++;
                }
            }
            if (count == 0) {
                out.put(key(labels), new int[0][]);
                continue;
            }
            // np.argwhere order: row-major flat indices
            int[] where = new int[count];
            int k = 0;
            for (int i = 0; i < seg.length; i++) {
                if (contains(labels, seg[i])) {
                    where[k++] = i;
                }
            }
            int target = Math.min(NUM_SAMPLES, count);
            target = Math.max(target, (int) Math.ceil(count * MIN_PERCENT_COVERAGE));
            int[] perm = rnd.permutation(count);
            int[][] picked = new int[target][];
            for (int s = 0; s < target; s++) {
                picked[s] = coordinates(where[perm[s]], shape);
            }
            out.put(key(labels), picked);
        }
        return out;
    }

    /** The class key nnU-Net's properties use: the label itself, or a region as "(1, 2)". */
    public static String key(short[] labels) {
        if (labels.length == 1) {
            return Short.toString(labels[0]);
        }
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < labels.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(labels[i]);
        }
        return sb.append(")").toString();
    }

    private static boolean contains(short[] labels, short v) {
        for (short l : labels) {
            if (l == v) {
                return true;
            }
        }
        return false;
    }

    private static int[] coordinates(int flat, int[] shape) {
        int[] c = new int[shape.length + 1];
        for (int a = shape.length - 1; a >= 0; a--) {
            c[a + 1] = flat % shape[a];
            flat /= shape[a];
        }
        return c;
    }
}
