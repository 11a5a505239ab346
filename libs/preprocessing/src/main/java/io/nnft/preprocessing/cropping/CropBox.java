package io.nnft.preprocessing.cropping;

import java.util.Arrays;

/**
 * A half-open box {@code [lo[a], hi[a])} per axis: nnU-Net's bbox_used_for_cropping
 * ({@code [[lo, hi], ...]}, as acvl_utils' get_bbox_from_mask returns it).
 */
public record CropBox(int[] lo, int[] hi) {
    public CropBox {
        lo = lo.clone();
        hi = hi.clone();
    }

    /** The tightest box around the mask; the whole array when the mask is empty (as acvl_utils does). */
    public static CropBox of(boolean[] mask, int[] shape) {
        int dims = shape.length;
        int[] lo = new int[dims];
        int[] hi = shape.clone();
        int[] min = new int[dims];
        int[] max = new int[dims];
        Arrays.fill(min, Integer.MAX_VALUE);
        Arrays.fill(max, -1);
        int[] coord = new int[dims];
        for (int i = 0; i < mask.length; i++) {
            if (mask[i]) {
                for (int a = 0; a < dims; a++) {
                    if (coord[a] < min[a]) {
                        min[a] = coord[a];
                    }
                    if (coord[a] > max[a]) {
                        max[a] = coord[a];
                    }
                }
            }
            for (int a = dims - 1; a >= 0; a--) {
                if (++coord[a] < shape[a]) {
                    break;
                }
                coord[a] = 0;
            }
        }
        for (int a = 0; a < dims; a++) {
            if (max[a] >= 0) {
                lo[a] = min[a];
                hi[a] = max[a] + 1;
            }
        }
        return new CropBox(lo, hi);
    }

    public int[] shape() {
        int[] s = new int[lo.length];
        for (int a = 0; a < s.length; a++) {
            s[a] = hi[a] - lo[a];
        }
        return s;
    }

    public float[] crop(float[] src, int[] shape) {
        float[] out = new float[size(shape())];
        copy(shape, (from, to, len) -> System.arraycopy(src, from, out, to, len));
        return out;
    }

    public short[] crop(short[] src, int[] shape) {
        short[] out = new short[size(shape())];
        copy(shape, (from, to, len) -> System.arraycopy(src, from, out, to, len));
        return out;
    }

    public boolean[] crop(boolean[] src, int[] shape) {
        boolean[] out = new boolean[size(shape())];
        copy(shape, (from, to, len) -> System.arraycopy(src, from, out, to, len));
        return out;
    }

    private interface RowCopy {
        void copy(int from, int to, int len);
    }

    /** Walks the rows (last axis) of the box; works for any number of axes. */
    private void copy(int[] shape, RowCopy rows) {
        int dims = shape.length;
        int[] out = shape();
        int rowLen = out[dims - 1];
        int rowCount = size(out) / Math.max(rowLen, 1);
        int[] coord = new int[dims];
        for (int r = 0; r < rowCount; r++) {
            int rest = r;
            for (int a = dims - 2; a >= 0; a--) {
                coord[a] = rest % out[a];
                rest /= out[a];
            }
            int src = 0;
            for (int a = 0; a < dims - 1; a++) {
                src = src * shape[a] + coord[a] + lo[a];
            }
            src = src * shape[dims - 1] + lo[dims - 1];
            rows.copy(src, r * rowLen, rowLen);
        }
    }

    public static int size(int[] shape) {
        int n = 1;
        for (int s : shape) {
            n = Math.multiplyExact(n, s);
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CropBox b && Arrays.equals(lo, b.lo) && Arrays.equals(hi, b.hi);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(lo) + Arrays.hashCode(hi);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int a = 0; a < lo.length; a++) {
            sb.append(a == 0 ? "" : ", ").append('[').append(lo[a]).append(", ").append(hi[a]).append(']');
        }
        return sb.append(']').toString();
    }
}
