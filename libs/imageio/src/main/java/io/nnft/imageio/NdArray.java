package io.nnft.imageio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A dense C-ordered array: element type, shape and little-endian bytes. The interchange type
 * between file formats (npy, NIfTI, checkpoints) and the engines, which convert to primitive arrays.
 */
public final class NdArray {
    private final DType dtype;
    private final long[] shape;
    private final ByteBuffer data;

    public NdArray(DType dtype, long[] shape, ByteBuffer data) {
        long n = elementCount(shape);
        if ((long) data.remaining() != n * dtype.size()) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " of " + dtype
                    + " needs " + n * dtype.size() + " bytes, found " + data.remaining());
        }
        this.dtype = dtype;
        this.shape = shape.clone();
        this.data = data.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    public static NdArray ofFloats(long[] shape, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return new NdArray(DType.FLOAT32, shape, b);
    }

    public static NdArray ofBytes(long[] shape, byte[] values) {
        return new NdArray(DType.INT8, shape, ByteBuffer.wrap(values));
    }

    public static NdArray ofShorts(long[] shape, short[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.asShortBuffer().put(values);
        return new NdArray(DType.INT16, shape, b);
    }

    public static long elementCount(long[] shape) {
        long n = 1;
        for (long s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, s);
        }
        return n;
    }

    public DType dtype() {
        return dtype;
    }

    public long[] shape() {
        return shape.clone();
    }

    public int[] intShape() {
        return Arrays.stream(shape).mapToInt(Math::toIntExact).toArray();
    }

    public long size() {
        return elementCount(shape);
    }

    /** A read-only little-endian view of the raw bytes. */
    public ByteBuffer data() {
        return data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Values as float32, converting from any numeric element type. */
    public float[] toFloats() {
        int n = Math.toIntExact(size());
        float[] out = new float[n];
        ByteBuffer b = data();
        for (int i = 0; i < n; i++) {
            out[i] = (float) read(b, i);
        }
        return out;
    }

    /** Values as float64, converting from any numeric element type. */
    public double[] toDoubles() {
        int n = Math.toIntExact(size());
        double[] out = new double[n];
        ByteBuffer b = data();
        for (int i = 0; i < n; i++) {
            out[i] = read(b, i);
        }
        return out;
    }

    /** Values as int32, for labels; refuses floating-point data that is not integral. */
    public int[] toInts() {
        int n = Math.toIntExact(size());
        int[] out = new int[n];
        ByteBuffer b = data();
        for (int i = 0; i < n; i++) {
            double v = read(b, i);
            if (v != Math.rint(v)) {
                throw new IllegalStateException("value " + v + " at index " + i + " is not an integer");
            }
            out[i] = (int) v;
        }
        return out;
    }

    private double read(ByteBuffer b, int i) {
        switch (dtype) {
            case BOOL:
            case UINT8:
                return b.get(i) & 0xff;
            case INT8:
                return b.get(i);
            case INT16:
                return b.getShort(i * 2);
            case UINT16:
                return b.getShort(i * 2) & 0xffff;
            case INT32:
                return b.getInt(i * 4);
            case UINT32:
                return b.getInt(i * 4) & 0xffffffffL;
            case INT64:
                return b.getLong(i * 8);
            case FLOAT16:
                return halfToFloat(b.getShort(i * 2));
            case FLOAT32:
                return b.getFloat(i * 4);
            case FLOAT64:
                return b.getDouble(i * 8);
            default:
                throw new IllegalStateException("unhandled dtype " + dtype);
        }
    }

    /** IEEE 754 binary16 to float (Float.float16ToFloat arrived only in Java 20). */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    @Override
    public String toString() {
        return "NdArray[" + dtype + " " + Arrays.toString(shape) + "]";
    }
}
