package io.nnft.imageio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** numpy's .npy format, version 1.0–3.0, C order, little endian: what nnU-Net's unpacked data uses. */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    public static NdArray read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /** Reads one array; {@code where} names the source in error messages. */
    public static NdArray read(InputStream in, String where) throws IOException {
        byte[] magic = in.readNBytes(8);
        if (magic.length < 8) {
            throw new IOException(where + ": truncated npy header");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (magic[i] != MAGIC[i]) {
                throw new IOException(where + ": not an npy file (bad magic)");
            }
        }
        int major = magic[6];
        int headerLen;
        int lengthBytes;
        if (major == 1) {
            lengthBytes = 2;
        } else if (major == 2 || major == 3) {
            lengthBytes = 4;
        } else {
            throw new IOException(where + ": unsupported npy version " + major);
        }
        byte[] l = in.readNBytes(lengthBytes);
        if (l.length < lengthBytes) {
            throw new IOException(where + ": truncated npy header: the " + lengthBytes + "-byte header length of version "
                    + major + " is cut off after " + l.length + " bytes");
        }
        headerLen = lengthBytes == 2 ? (l[0] & 0xff) | (l[1] & 0xff) << 8
                : ByteBuffer.wrap(l).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (headerLen < 0 || headerLen > 1 << 20) {
            throw new IOException(where + ": absurd npy header length " + headerLen);
        }
        String header = new String(in.readNBytes(headerLen), StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new IOException(where + ": malformed npy header: " + header.trim());
        }
        if (f.group(1).equals("True")) {
            throw new IOException(where + ": Fortran-ordered npy arrays are not supported");
        }
        DType dtype;
        try {
            dtype = DType.fromDescr(d.group(1));
        } catch (IllegalArgumentException e) {
            throw new IOException(where + ": " + e.getMessage(), e);
        }
        long[] shape = shape(s.group(1), where);
        // checked before anything is allocated: a 40-byte header may declare any shape
        long bytes;
        try {
            bytes = Math.multiplyExact(NdArray.elementCount(shape), (long) dtype.size());
        } catch (ArithmeticException e) {
            throw new IOException(where + ": npy shape " + Arrays.toString(shape) + " of " + dtype.descr()
                    + " overflows 64 bits");
        }
        if (bytes > Integer.MAX_VALUE - 16) {
            throw new IOException(where + ": array of " + bytes + " bytes is too large for one buffer");
        }
        byte[] data = in.readNBytes((int) bytes);
        if (data.length != bytes) {
            throw new IOException(where + ": truncated npy data, expected " + bytes + " bytes, found " + data.length);
        }
        return new NdArray(dtype, shape, ByteBuffer.wrap(data));
    }

    /** The dims of the header's shape tuple, each a non-negative integer. */
    private static long[] shape(String tuple, String where) throws IOException {
        List<Long> dims = new ArrayList<>();
        for (String part : tuple.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            long d;
            try {
                d = Long.parseLong(part.trim());
            } catch (NumberFormatException e) {
                throw new IOException(where + ": npy shape (" + tuple + "): dim " + dims.size() + " '" + part.trim()
                        + "' is not an integer");
            }
            if (d < 0) {
                throw new IOException(where + ": npy shape (" + tuple + "): dim " + dims.size() + " = " + d
                        + " is negative");
            }
            dims.add(d);
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    public static void write(Path file, NdArray array) throws IOException {
        AtomicFiles.write(file, tmp -> {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                write(out, array);
            }
        });
    }

    public static void write(OutputStream out, NdArray array) throws IOException {
        out.write(header(array));
        ByteBuffer data = array.data();
        if (data.hasArray()) {
            out.write(data.array(), data.arrayOffset() + data.position(), data.remaining());
        } else {
            byte[] chunk = new byte[1 << 16];
            while (data.hasRemaining()) {
                int n = Math.min(chunk.length, data.remaining());
                data.get(chunk, 0, n);
                out.write(chunk, 0, n);
            }
        }
    }

    /** The version 1.0 header numpy itself writes, padded so the data starts 64-byte aligned. */
    static byte[] header(NdArray array) {
        long[] shape = array.shape();
        StringBuilder sh = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sh.append(shape[i]);
            if (shape.length == 1 || i < shape.length - 1) {
                sh.append(shape.length == 1 ? "," : ", ");
            }
        }
        sh.append(")");
        String dict = "{'descr': '" + array.dtype().descr() + "', 'fortran_order': False, 'shape': " + sh + ", }";
        int total = MAGIC.length + 2 + 2 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String headerText = dict + " ".repeat(pad) + "\n";
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(MAGIC);
        b.write(1);
        b.write(0);
        int len = headerText.length();
        b.write(len & 0xff);
        b.write((len >> 8) & 0xff);
        b.writeBytes(headerText.getBytes(StandardCharsets.ISO_8859_1));
        return b.toByteArray();
    }
}
