package io.nnft.checkpoint.pickle;

import io.nnft.imageio.DType;
import java.util.Map;

/**
 * PyTorch's legacy typed storage classes ({@code torch.FloatStorage} …) that name a tensor's element
 * type in the persistent id of every storage of a {@code torch.save} zip.
 */
public enum StorageType {
    FLOAT("FloatStorage", DType.FLOAT32),
    DOUBLE("DoubleStorage", DType.FLOAT64),
    HALF("HalfStorage", DType.FLOAT16),
    LONG("LongStorage", DType.INT64),
    INT("IntStorage", DType.INT32),
    SHORT("ShortStorage", DType.INT16),
    CHAR("CharStorage", DType.INT8),
    BYTE("ByteStorage", DType.UINT8),
    BOOL("BoolStorage", DType.BOOL);

    /** Storage classes torch knows but our NdArray cannot hold; named so the refusal is precise. */
    static final Map<String, String> UNSUPPORTED = Map.of(
            "BFloat16Storage", "bfloat16", "ComplexFloatStorage", "complex64",
            "ComplexDoubleStorage", "complex128", "QInt8Storage", "qint8", "QUInt8Storage", "quint8",
            "QInt32Storage", "qint32", "UntypedStorage", "untyped bytes");

    private final String className;
    private final DType dtype;

    StorageType(String className, DType dtype) {
        this.className = className;
        this.dtype = dtype;
    }

    /** The class name inside module {@code torch}, e.g. {@code FloatStorage}. */
    public String className() {
        return className;
    }

    public DType dtype() {
        return dtype;
    }

    public static StorageType forClassName(String name) {
        for (StorageType t : values()) {
            if (t.className.equals(name)) {
                return t;
            }
        }
        return null;
    }

    public static StorageType forDType(DType dtype) {
        for (StorageType t : values()) {
            if (t.dtype == dtype) {
                return t;
            }
        }
        throw new IllegalArgumentException("no torch storage type for " + dtype);
    }
}
