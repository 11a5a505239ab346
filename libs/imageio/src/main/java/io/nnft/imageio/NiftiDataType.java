package io.nnft.imageio;

/**
 * NIfTI {@code datatype} codes we read and write, and the element type each one is held in. Codes
 * outside this table (binary, complex, RGB, uint64, float128) are refused by the reader.
 */
enum NiftiDataType {
    UINT8(2, DType.UINT8),
    INT16(4, DType.INT16),
    INT32(8, DType.INT32),
    FLOAT32(16, DType.FLOAT32),
    FLOAT64(64, DType.FLOAT64),
    INT8(256, DType.INT8),
    UINT16(512, DType.UINT16),
    UINT32(768, DType.UINT32),
    INT64(1024, DType.INT64);

    final int code;
    final DType dtype;

    NiftiDataType(int code, DType dtype) {
        this.code = code;
        this.dtype = dtype;
    }

    /** The type for a header code, or null when the code is not one we support. */
    static NiftiDataType ofCode(int code) {
        for (NiftiDataType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }

    /** The code to write for an array's element type; booleans are stored as uint8 like nibabel does. */
    static NiftiDataType of(DType dtype) {
        if (dtype == DType.BOOL) {
            return UINT8;
        }
        for (NiftiDataType t : values()) {
            if (t.dtype == dtype) {
                return t;
            }
        }
        return null;
    }

    /** Human-readable list for error messages. */
    static String supported() {
        StringBuilder b = new StringBuilder();
        for (NiftiDataType t : values()) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(t.code).append(" (").append(t.name().toLowerCase()).append(')');
        }
        return b.toString();
    }
}
