package io.nnft.preprocessing.io;

import io.nnft.imageio.DType;

import java.nio.charset.StandardCharsets;

/**
 * The npy version 1.0 header numpy writes (magic, version, little-endian length, dict padded with
 * spaces to a 64-byte boundary, newline), for writers that stream the data after it. Reading stays
 * with {@code io.nnft.imageio.Npy}.
 */
final class NpyHeader {
    private NpyHeader() {
    }

    static byte[] of(DType dtype, long[] shape) {
        StringBuilder sh = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sh.append(shape[i]);
            if (shape.length == 1 || i < shape.length - 1) {
                sh.append(shape.length == 1 ? "," : ", ");
            }
        }
        sh.append(')');
        String dict = "{'descr': '" + dtype.descr() + "', 'fortran_order': False, 'shape': " + sh + ", }";
        int prefix = 6 + 2 + 2;
        int pad = (64 - (prefix + dict.length() + 1) % 64) % 64;
        byte[] text = (dict + " ".repeat(pad) + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[prefix + text.length];
        out[0] = (byte) 0x93;
        System.arraycopy("NUMPY".getBytes(StandardCharsets.US_ASCII), 0, out, 1, 5);
        out[6] = 1;
        out[7] = 0;
        out[8] = (byte) (text.length & 0xff);
        out[9] = (byte) (text.length >>> 8);
        System.arraycopy(text, 0, out, prefix, text.length);
        return out;
    }
}
