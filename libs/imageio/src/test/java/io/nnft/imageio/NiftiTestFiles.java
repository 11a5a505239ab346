package io.nnft.imageio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Byte-level edits of NIfTI files for the reader's tests. */
final class NiftiTestFiles {
    private NiftiTestFiles() {
    }

    /** Re-encodes a little-endian single-file NIfTI-1 (header + 4-byte extension + data) as big endian. */
    static byte[] toBigEndianNifti1(byte[] le, int elementSize) {
        ByteBuffer in = ByteBuffer.wrap(le).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer out = ByteBuffer.allocate(le.length).order(ByteOrder.BIG_ENDIAN);
        out.put(0, le, 0, le.length);
        out.putInt(0, in.getInt(0));
        out.putInt(32, in.getInt(32));
        out.putShort(36, in.getShort(36));
        for (int off = 40; off < 76; off += 2) { // dim[8], intent_p1..3 are floats but covered below
            if (off < 56 || off >= 68) {
                out.putShort(off, in.getShort(off));
            }
        }
        for (int off = 56; off < 68; off += 4) {
            out.putFloat(off, in.getFloat(off));
        }
        for (int off = 76; off < 120; off += 4) {
            out.putFloat(off, in.getFloat(off));
        }
        out.putShort(120, in.getShort(120));
        for (int off = 124; off < 148; off += 4) {
            out.putInt(off, in.getInt(off));
        }
        out.putShort(252, in.getShort(252));
        out.putShort(254, in.getShort(254));
        for (int off = 256; off < 328; off += 4) {
            out.putFloat(off, in.getFloat(off));
        }
        for (int i = 352; i + elementSize <= le.length; i += elementSize) {
            for (int k = 0; k < elementSize; k++) {
                out.put(i + k, le[i + elementSize - 1 - k]);
            }
        }
        return out.array();
    }

    /** Copy with a little-endian short written at an offset. */
    static byte[] withShort(byte[] file, int offset, int value) {
        byte[] b = file.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(offset, (short) value);
        return b;
    }

    static byte[] withInt(byte[] file, int offset, int value) {
        byte[] b = file.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(offset, value);
        return b;
    }

    static byte[] withLong(byte[] file, int offset, long value) {
        byte[] b = file.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(offset, value);
        return b;
    }

    static byte[] withFloat(byte[] file, int offset, float value) {
        byte[] b = file.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putFloat(offset, value);
        return b;
    }
}
