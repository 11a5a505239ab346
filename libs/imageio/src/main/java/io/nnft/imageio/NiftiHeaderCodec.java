package io.nnft.imageio;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Byte layout of the NIfTI-1 (348 bytes) and NIfTI-2 (540 bytes) headers. The byte order is found
 * the way the standard intends: sizeof_hdr reads 348 or 540 in exactly one of the two orders.
 */
final class NiftiHeaderCodec {
    static final int NIFTI1_SIZE = 348;
    static final int NIFTI2_SIZE = 540;
    /** Single-file data offsets: header plus the 4-byte extension flag. */
    static final int NIFTI1_DATA_OFFSET = 352;
    static final int NIFTI2_DATA_OFFSET = 544;
    /** Header extensions beyond 1 GiB are not plausible; refusing them keeps offset arithmetic safe. */
    static final long MAX_VOX_OFFSET = 1L << 30;
    private static final byte[] MAGIC2 = {'n', '+', '2', 0, '\r', '\n', 0x1a, '\n'};

    private NiftiHeaderCodec() {
    }

    /** Reads and validates the header from the start of a (decompressed) stream. */
    static NiftiHeader read(InputStream in, Path file) throws IOException {
        byte[] first = in.readNBytes(4);
        if (first.length < 4) {
            throw new NiftiFormatException(file, "truncated header: expected at least 4 bytes (sizeof_hdr), found "
                    + first.length);
        }
        ByteBuffer probe = ByteBuffer.wrap(first);
        int le = probe.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        int be = probe.order(ByteOrder.BIG_ENDIAN).getInt(0);
        ByteOrder order;
        int size;
        if (le == NIFTI1_SIZE || le == NIFTI2_SIZE) {
            order = ByteOrder.LITTLE_ENDIAN;
            size = le;
        } else if (be == NIFTI1_SIZE || be == NIFTI2_SIZE) {
            order = ByteOrder.BIG_ENDIAN;
            size = be;
        } else {
            throw new NiftiFormatException(file, "bad sizeof_hdr: expected 348 (NIfTI-1) or 540 (NIfTI-2) in either"
                    + " byte order, found " + le + " (little endian) / " + be + " (big endian); not a NIfTI file?");
        }
        byte[] all = new byte[size];
        System.arraycopy(first, 0, all, 0, 4);
        int got = in.readNBytes(all, 4, size - 4);
        if (got < size - 4) {
            throw new NiftiFormatException(file, "truncated header: expected " + size + " bytes, found " + (got + 4));
        }
        ByteBuffer b = ByteBuffer.wrap(all).order(order);
        NiftiHeader h = size == NIFTI1_SIZE ? decode1(b, file) : decode2(b, file);
        h.byteOrderBigEndian = order == ByteOrder.BIG_ENDIAN;
        validate(h, file);
        return h;
    }

    private static NiftiHeader decode1(ByteBuffer b, Path file) throws IOException {
        String magic = ascii(b, 344, 4);
        if (magic.equals("ni1")) {
            throw new NiftiFormatException(file, "NIfTI-1 header/image pair ('ni1', .hdr + .img) is not supported,"
                    + " expected a single-file image with magic 'n+1'");
        }
        if (!magic.equals("n+1")) {
            throw new NiftiFormatException(file, "bad magic: expected 'n+1' for a 348-byte NIfTI-1 header, found '"
                    + printable(b, 344, 4) + "'");
        }
        NiftiHeader h = new NiftiHeader();
        h.version = 1;
        h.dimInfo = b.get(39) & 0xff;
        for (int i = 0; i < 8; i++) {
            h.dim[i] = b.getShort(40 + 2 * i);
            h.pixdim[i] = b.getFloat(76 + 4 * i);
        }
        h.intentP1 = b.getFloat(56);
        h.intentP2 = b.getFloat(60);
        h.intentP3 = b.getFloat(64);
        h.intentCode = b.getShort(68);
        h.datatype = b.getShort(70);
        h.sliceStart = b.getShort(74);
        float voxOffset = b.getFloat(108);
        if (!Float.isFinite(voxOffset) || voxOffset < 0 || voxOffset > Integer.MAX_VALUE) {
            throw new NiftiFormatException(file, "bad vox_offset: expected a data offset >= 352, found " + voxOffset);
        }
        h.voxOffset = (long) voxOffset;
        h.sclSlope = b.getFloat(112);
        h.sclInter = b.getFloat(116);
        h.sliceEnd = b.getShort(120);
        h.sliceCode = b.get(122) & 0xff;
        h.xyztUnits = b.get(123) & 0xff;
        h.calMax = b.getFloat(124);
        h.calMin = b.getFloat(128);
        h.sliceDuration = b.getFloat(132);
        h.toffset = b.getFloat(136);
        h.descrip = ascii(b, 148, 80);
        h.auxFile = ascii(b, 228, 24);
        h.qformCode = b.getShort(252);
        h.sformCode = b.getShort(254);
        h.quaternB = b.getFloat(256);
        h.quaternC = b.getFloat(260);
        h.quaternD = b.getFloat(264);
        h.qoffsetX = b.getFloat(268);
        h.qoffsetY = b.getFloat(272);
        h.qoffsetZ = b.getFloat(276);
        for (int i = 0; i < 4; i++) {
            h.srowX[i] = b.getFloat(280 + 4 * i);
            h.srowY[i] = b.getFloat(296 + 4 * i);
            h.srowZ[i] = b.getFloat(312 + 4 * i);
        }
        h.intentName = ascii(b, 328, 16);
        return h;
    }

    private static NiftiHeader decode2(ByteBuffer b, Path file) throws IOException {
        for (int i = 0; i < MAGIC2.length; i++) {
            if (b.get(4 + i) != MAGIC2[i]) {
                throw new NiftiFormatException(file, "bad magic: expected 'n+2\\0\\r\\n\\032\\n' for a 540-byte"
                        + " NIfTI-2 header, found '" + printable(b, 4, 8) + "'");
            }
        }
        NiftiHeader h = new NiftiHeader();
        h.version = 2;
        h.datatype = b.getShort(12);
        for (int i = 0; i < 8; i++) {
            h.dim[i] = b.getLong(16 + 8 * i);
            h.pixdim[i] = b.getDouble(104 + 8 * i);
        }
        h.intentP1 = b.getDouble(80);
        h.intentP2 = b.getDouble(88);
        h.intentP3 = b.getDouble(96);
        h.voxOffset = b.getLong(168);
        h.sclSlope = b.getDouble(176);
        h.sclInter = b.getDouble(184);
        h.calMax = b.getDouble(192);
        h.calMin = b.getDouble(200);
        h.sliceDuration = b.getDouble(208);
        h.toffset = b.getDouble(216);
        h.sliceStart = b.getLong(224);
        h.sliceEnd = b.getLong(232);
        h.descrip = ascii(b, 240, 80);
        h.auxFile = ascii(b, 320, 24);
        h.qformCode = b.getInt(344);
        h.sformCode = b.getInt(348);
        h.quaternB = b.getDouble(352);
        h.quaternC = b.getDouble(360);
        h.quaternD = b.getDouble(368);
        h.qoffsetX = b.getDouble(376);
        h.qoffsetY = b.getDouble(384);
        h.qoffsetZ = b.getDouble(392);
        for (int i = 0; i < 4; i++) {
            h.srowX[i] = b.getDouble(400 + 8 * i);
            h.srowY[i] = b.getDouble(432 + 8 * i);
            h.srowZ[i] = b.getDouble(464 + 8 * i);
        }
        h.sliceCode = b.getInt(496);
        h.xyztUnits = b.getInt(500);
        h.intentCode = b.getInt(504);
        h.intentName = ascii(b, 508, 16);
        h.dimInfo = b.get(524) & 0xff;
        return h;
    }

    /** Checks what the reader relies on: dims, datatype, offset and voxel size. */
    private static void validate(NiftiHeader h, Path file) throws IOException {
        long ndim = h.dim[0];
        if (ndim < 1 || ndim > 7) {
            throw new NiftiFormatException(file, "bad dim[0]: expected 1..7 dimensions, found " + ndim);
        }
        long count = 1;
        for (int i = 1; i <= ndim; i++) {
            long d = h.dim[i];
            if (d < 1) {
                throw new NiftiFormatException(file, "non-positive dim[" + i + "]: expected >= 1, found " + d);
            }
            if (d > Integer.MAX_VALUE) {
                throw new NiftiFormatException(file, "absurd dim[" + i + "]: expected at most " + Integer.MAX_VALUE
                        + ", found " + d);
            }
            try {
                count = Math.multiplyExact(count, d);
            } catch (ArithmeticException e) {
                throw new NiftiFormatException(file, "voxel count overflows 64 bits: dim "
                        + java.util.Arrays.toString(h.fileShape()));
            }
        }
        if (NiftiDataType.ofCode(h.datatype) == null) {
            throw new NiftiFormatException(file, "unknown or unsupported datatype " + h.datatype + ": expected one of "
                    + NiftiDataType.supported());
        }
        long minOffset = h.version == 1 ? NIFTI1_SIZE : NIFTI2_SIZE;
        if (h.voxOffset > MAX_VOX_OFFSET) {
            throw new NiftiFormatException(file, "absurd vox_offset: expected at most " + MAX_VOX_OFFSET
                    + " (header extensions of sane size), found " + h.voxOffset);
        }
        if (h.voxOffset < minOffset) {
            throw new NiftiFormatException(file, "bad vox_offset: expected >= " + minOffset + " (data after the header)"
                    + ", found " + h.voxOffset);
        }
        for (int i = 1; i <= Math.min(3, ndim); i++) {
            if (!Double.isFinite(h.pixdim[i])) {
                throw new NiftiFormatException(file, "bad pixdim[" + i + "]: expected a finite voxel size, found "
                        + h.pixdim[i]);
            }
        }
    }

    /** Encodes a header for writing, little endian, data right after the 4-byte empty extension flag. */
    static byte[] encode(NiftiHeader h) {
        return h.version == 2 ? encode2(h) : encode1(h);
    }

    private static byte[] encode1(NiftiHeader h) {
        ByteBuffer b = ByteBuffer.allocate(NIFTI1_DATA_OFFSET).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, NIFTI1_SIZE);
        b.put(38, (byte) 'r'); // "regular", as the standard's reference writer sets it
        b.put(39, (byte) h.dimInfo);
        for (int i = 0; i < 8; i++) {
            b.putShort(40 + 2 * i, (short) h.dim[i]);
            b.putFloat(76 + 4 * i, (float) h.pixdim[i]);
        }
        b.putFloat(56, (float) h.intentP1);
        b.putFloat(60, (float) h.intentP2);
        b.putFloat(64, (float) h.intentP3);
        b.putShort(68, (short) h.intentCode);
        b.putShort(70, (short) h.datatype);
        b.putShort(72, (short) (NiftiDataType.ofCode(h.datatype).dtype.size() * 8));
        b.putShort(74, (short) h.sliceStart);
        b.putFloat(108, NIFTI1_DATA_OFFSET);
        b.putFloat(112, (float) h.sclSlope);
        b.putFloat(116, (float) h.sclInter);
        b.putShort(120, (short) h.sliceEnd);
        b.put(122, (byte) h.sliceCode);
        b.put(123, (byte) h.xyztUnits);
        b.putFloat(124, (float) h.calMax);
        b.putFloat(128, (float) h.calMin);
        b.putFloat(132, (float) h.sliceDuration);
        b.putFloat(136, (float) h.toffset);
        putAscii(b, 148, 80, h.descrip);
        putAscii(b, 228, 24, h.auxFile);
        b.putShort(252, (short) h.qformCode);
        b.putShort(254, (short) h.sformCode);
        b.putFloat(256, (float) h.quaternB);
        b.putFloat(260, (float) h.quaternC);
        b.putFloat(264, (float) h.quaternD);
        b.putFloat(268, (float) h.qoffsetX);
        b.putFloat(272, (float) h.qoffsetY);
        b.putFloat(276, (float) h.qoffsetZ);
        for (int i = 0; i < 4; i++) {
            b.putFloat(280 + 4 * i, (float) h.srowX[i]);
            b.putFloat(296 + 4 * i, (float) h.srowY[i]);
            b.putFloat(312 + 4 * i, (float) h.srowZ[i]);
        }
        putAscii(b, 328, 16, h.intentName);
        putAscii(b, 344, 4, "n+1");
        return b.array();
    }

    private static byte[] encode2(NiftiHeader h) {
        ByteBuffer b = ByteBuffer.allocate(NIFTI2_DATA_OFFSET).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, NIFTI2_SIZE);
        for (int i = 0; i < MAGIC2.length; i++) {
            b.put(4 + i, MAGIC2[i]);
        }
        b.putShort(12, (short) h.datatype);
        b.putShort(14, (short) (NiftiDataType.ofCode(h.datatype).dtype.size() * 8));
        for (int i = 0; i < 8; i++) {
            b.putLong(16 + 8 * i, h.dim[i]);
            b.putDouble(104 + 8 * i, h.pixdim[i]);
        }
        b.putDouble(80, h.intentP1);
        b.putDouble(88, h.intentP2);
        b.putDouble(96, h.intentP3);
        b.putLong(168, NIFTI2_DATA_OFFSET);
        b.putDouble(176, h.sclSlope);
        b.putDouble(184, h.sclInter);
        b.putDouble(192, h.calMax);
        b.putDouble(200, h.calMin);
        b.putDouble(208, h.sliceDuration);
        b.putDouble(216, h.toffset);
        b.putLong(224, h.sliceStart);
        b.putLong(232, h.sliceEnd);
        putAscii(b, 240, 80, h.descrip);
        putAscii(b, 320, 24, h.auxFile);
        b.putInt(344, h.qformCode);
        b.putInt(348, h.sformCode);
        b.putDouble(352, h.quaternB);
        b.putDouble(360, h.quaternC);
        b.putDouble(368, h.quaternD);
        b.putDouble(376, h.qoffsetX);
        b.putDouble(384, h.qoffsetY);
        b.putDouble(392, h.qoffsetZ);
        for (int i = 0; i < 4; i++) {
            b.putDouble(400 + 8 * i, h.srowX[i]);
            b.putDouble(432 + 8 * i, h.srowY[i]);
            b.putDouble(464 + 8 * i, h.srowZ[i]);
        }
        b.putInt(496, h.sliceCode);
        b.putInt(500, h.xyztUnits);
        b.putInt(504, h.intentCode);
        putAscii(b, 508, 16, h.intentName);
        b.put(524, (byte) h.dimInfo);
        return b.array();
    }

    /** A NUL-terminated fixed-width text field. */
    private static String ascii(ByteBuffer b, int at, int len) {
        int end = 0;
        while (end < len && b.get(at + end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end];
        b.get(at, bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static String printable(ByteBuffer b, int at, int len) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < len; i++) {
            int c = b.get(at + i) & 0xff;
            s.append(c >= 32 && c < 127 ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return s.toString();
    }

    private static void putAscii(ByteBuffer b, int at, int len, String s) {
        byte[] bytes = (s == null ? "" : s).getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < Math.min(len - 1, bytes.length); i++) {
            b.put(at + i, bytes[i]);
        }
    }
}
