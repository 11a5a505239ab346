package io.nnft.checkpoint.pickle;

import io.nnft.imageio.DType;

/**
 * The object {@code numpy.dtype('f8', False, True)} builds while unpickling; BUILD then sets its byte
 * order. Only little-endian or byte-order-free dtypes are accepted.
 */
final class NumpyDTypeValue {
    private final String code;
    private char byteOrder = '=';

    NumpyDTypeValue(String code) {
        this.code = code;
    }

    void setByteOrder(char byteOrder) {
        this.byteOrder = byteOrder;
    }

    DType toDType(String where) {
        if (byteOrder == '>' && !code.endsWith("1")) {
            throw new PickleRefusedException(where + ": big-endian numpy dtype '>" + code + "' is not supported");
        }
        try {
            return DType.fromDescr("<" + code);
        } catch (IllegalArgumentException e) {
            throw new PickleRefusedException(where + ": numpy dtype '" + code + "' is not supported ("
                    + e.getMessage() + ")");
        }
    }

    /** numpy's short type code for a DType, e.g. {@code f8}. */
    static String code(DType dtype) {
        return dtype.descr().substring(1);
    }
}
