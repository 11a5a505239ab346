package io.nnft.dataset;

import io.nnft.imageio.DType;
import io.nnft.imageio.NdArray;
import io.nnft.imageio.NiftiImage;
import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.TreeSet;

/**
 * The distinct values of a label map (real values, scaling applied, like nibabel's get_fdata), found
 * without boxing every voxel: integral values in a wide window go to a bit set, anything else (at
 * most {@link #MAX_OTHER} of them are kept) to a sorted set.
 */
final class LabelValues {
    static final int MAX_OTHER = 64;
    private static final int OFFSET = 1 << 16;

    final TreeSet<Double> values = new TreeSet<>();
    long nanCount;
    boolean truncated;

    private LabelValues() {
    }

    static LabelValues of(NiftiImage seg) {
        LabelValues out = new LabelValues();
        BitSet ints = new BitSet();
        NdArray data = seg.data();
        if (!seg.header().isScaled() && (data.dtype() == DType.UINT8 || data.dtype() == DType.INT8
                || data.dtype() == DType.INT16 || data.dtype() == DType.UINT16)) {
            ByteBuffer b = data.data();
            int n = Math.toIntExact(data.size());
            for (int i = 0; i < n; i++) {
                int v = switch (data.dtype()) {
                    case UINT8 -> b.get(i) & 0xff;
                    case INT8 -> b.get(i);
                    case INT16 -> b.getShort(2 * i);
                    default -> b.getShort(2 * i) & 0xffff;
                };
                ints.set(v + OFFSET);
            }
        } else {
            for (double v : seg.toDoubles()) {
                if (Double.isNaN(v)) {
                    out.nanCount++;
                } else if (v == Math.rint(v) && v >= -OFFSET && v < OFFSET) {
                    ints.set((int) v + OFFSET);
                } else if (out.values.size() < MAX_OTHER) {
                    out.values.add(v);
                } else if (!out.values.contains(v)) {
                    out.truncated = true;
                }
            }
        }
        for (int i = ints.nextSetBit(0); i >= 0; i = ints.nextSetBit(i + 1)) {
            out.values.add((double) (i - OFFSET));
        }
        return out;
    }
}
