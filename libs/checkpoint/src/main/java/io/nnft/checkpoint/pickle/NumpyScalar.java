package io.nnft.checkpoint.pickle;

import io.nnft.imageio.DType;
import io.nnft.imageio.NdArray;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A numpy scalar such as {@code np.float64(0.47)}: nnU-Net's logging holds float64 and float32 scalars
 * and {@code _best_ema} is a float64 one. Kept with its dtype and raw little-endian bytes so that a
 * checkpoint written back has the same scalar types, bit for bit.
 */
public final class NumpyScalar {
    private final DType dtype;
    private final byte[] bytes;

    public NumpyScalar(DType dtype, byte[] littleEndianBytes) {
        if (littleEndianBytes.length != dtype.size()) {
            throw new IllegalArgumentException("numpy " + dtype + " scalar needs " + dtype.size()
                    + " bytes, found " + littleEndianBytes.length);
        }
        this.dtype = dtype;
        this.bytes = littleEndianBytes.clone();
    }

    public static NumpyScalar float64(double v) {
        return new NumpyScalar(DType.FLOAT64, buffer(8).putDouble(0, v).array());
    }

    public static NumpyScalar float32(float v) {
        return new NumpyScalar(DType.FLOAT32, buffer(4).putFloat(0, v).array());
    }

    private static ByteBuffer buffer(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    public DType dtype() {
        return dtype;
    }

    /** Little-endian bytes of the value. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The value as a double (exact for every dtype nnU-Net stores). */
    public double doubleValue() {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case FLOAT64: return b.getDouble(0);
            case FLOAT32: return b.getFloat(0);
            case INT64: return b.getLong(0);
            case INT32: return b.getInt(0);
            case UINT32: return b.getInt(0) & 0xffffffffL;
            case INT16: return b.getShort(0);
            case UINT16: return b.getShort(0) & 0xffff;
            case INT8: return b.get(0);
            case UINT8:
            case BOOL: return b.get(0) & 0xff;
            case FLOAT16: return new NdArray(DType.FLOAT16, new long[0], b).toDoubles()[0];
            default: throw new IllegalStateException("unhandled numpy scalar dtype " + dtype);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NumpyScalar s && s.dtype == dtype && Arrays.equals(s.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return dtype.hashCode() * 31 + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "np." + dtype.name().toLowerCase() + "(" + doubleValue() + ")";
    }
}
