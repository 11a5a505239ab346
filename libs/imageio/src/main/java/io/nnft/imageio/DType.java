package io.nnft.imageio;

/**
 * Element types shared by our array files (npy, NIfTI, checkpoints). The numpy descriptor is the
 * canonical name because every reference fixture is written by numpy.
 */
public enum DType {
    BOOL("|b1", 1),
    UINT8("|u1", 1),
    INT8("|i1", 1),
    INT16("<i2", 2),
    UINT16("<u2", 2),
    INT32("<i4", 4),
    UINT32("<u4", 4),
    INT64("<i8", 8),
    FLOAT16("<f2", 2),
    FLOAT32("<f4", 4),
    FLOAT64("<f8", 8);

    private final String descr;
    private final int size;

    DType(String descr, int size) {
        this.descr = descr;
        this.size = size;
    }

    /** numpy's little-endian descriptor, e.g. {@code <f4}. */
    public String descr() {
        return descr;
    }

    /** Bytes per element. */
    public int size() {
        return size;
    }

    public boolean isFloatingPoint() {
        return this == FLOAT16 || this == FLOAT32 || this == FLOAT64;
    }

    /** Parses a numpy descriptor; '=' and '<' are little endian here, '>' is refused. */
    public static DType fromDescr(String descr) {
        String d = descr.trim();
        if (d.length() < 2) {
            throw new IllegalArgumentException("unsupported numpy dtype '" + descr + "'");
        }
        if (d.startsWith(">") && !d.endsWith("1")) {
            throw new IllegalArgumentException("big-endian numpy dtype '" + descr + "' is not supported");
        }
        String body = d.substring(1);
        for (DType t : values()) {
            if (t.descr.substring(1).equals(body)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unsupported numpy dtype '" + descr + "'");
    }
}
