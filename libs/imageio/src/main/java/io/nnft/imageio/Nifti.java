package io.nnft.imageio;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * Reads and writes single-file NIfTI-1 and NIfTI-2 images, plain ({@code .nii}) or gzipped
 * ({@code .nii.gz}, streamed, detected by content not by name). Any byte order is read; little endian
 * is written. Hostile files fail before memory is allocated for them.
 */
public final class Nifti {
    /** Largest voxel payload one image may declare by default; also the most one array can hold. */
    public static final long DEFAULT_MAX_BYTES = Integer.MAX_VALUE - 8L;
    private static final int BUFFER = 1 << 16;
    /** deflate's largest possible expansion: a 258-byte match costs at least 2 bits (RFC 1951, zlib's tech notes). */
    static final long MAX_DEFLATE_RATIO = 1032;

    private Nifti() {
    }

    /** Reads an image, refusing one that declares more than {@link #DEFAULT_MAX_BYTES} of voxel data. */
    public static NiftiImage read(Path file) throws IOException {
        return read(file, DEFAULT_MAX_BYTES);
    }

    /** Reads an image, refusing (before allocating) one that declares more than {@code maxBytes} of voxel data. */
    public static NiftiImage read(Path file, long maxBytes) throws IOException {
        try (InputStream in = open(file)) {
            NiftiHeader h = NiftiHeaderCodec.read(in, file);
            NiftiDataType type = NiftiDataType.ofCode(h.datatype);
            long count = NdArray.elementCount(h.fileShape());
            long bytes;
            try {
                bytes = Math.multiplyExact(count, (long) type.dtype.size());
            } catch (ArithmeticException e) {
                throw new NiftiFormatException(file, "declared voxel data overflows 64 bits: dim "
                        + Arrays.toString(h.fileShape()) + " of " + type.name().toLowerCase());
            }
            long limit = Math.min(maxBytes, DEFAULT_MAX_BYTES);
            if (bytes > limit) {
                throw new NiftiFormatException(file, "declared voxel data of " + bytes + " bytes (dim "
                        + Arrays.toString(h.fileShape()) + " of " + type.name().toLowerCase()
                        + ") is over the limit of " + limit + " bytes");
            }
            boolean gz = in instanceof GZIPInputStream;
            long size = Files.size(file);
            if (!gz && size < h.voxOffset + bytes) {
                throw new NiftiFormatException(file, "truncated: header declares " + bytes + " bytes of voxel data at"
                        + " offset " + h.voxOffset + " (file size " + (h.voxOffset + bytes) + "), found a file of "
                        + size + " bytes");
            }
            // The voxel buffer is allocated before the stream is read, so a few hundred gzipped bytes declaring
            // 2 GiB would cost 2 GiB of heap: refuse what the compressed file cannot possibly unpack to.
            if (gz && h.voxOffset + bytes > size * MAX_DEFLATE_RATIO) {
                throw new NiftiFormatException(file, "truncated: header declares " + bytes + " bytes of voxel data at"
                        + " offset " + h.voxOffset + ", more than a gzip file of " + size + " bytes can unpack to (at most "
                        + MAX_DEFLATE_RATIO + " : 1)");
            }
            long headerSize = h.version == 1 ? NiftiHeaderCodec.NIFTI1_SIZE : NiftiHeaderCodec.NIFTI2_SIZE;
            try {
                in.skipNBytes(h.voxOffset - headerSize);
            } catch (EOFException e) {
                throw new NiftiFormatException(file, "truncated: expected voxel data at offset " + h.voxOffset
                        + ", the file ends before it");
            }
            byte[] buf = new byte[(int) bytes];
            int got = in.readNBytes(buf, 0, buf.length);
            if (got < buf.length) {
                throw new NiftiFormatException(file, "truncated voxel data: expected " + bytes + " bytes (dim "
                        + Arrays.toString(h.fileShape()) + " of " + type.name().toLowerCase() + "), found " + got);
            }
            if (h.byteOrderBigEndian) {
                swapBytes(buf, type.dtype.size());
            }
            NdArray data = new NdArray(type.dtype, NiftiImage.arrayShape(h), ByteBuffer.wrap(buf));
            return new NiftiImage(h, data);
        } catch (ZipException e) {
            throw new NiftiFormatException(file, "corrupt gzip stream: " + e.getMessage(), e);
        } catch (EOFException e) {
            throw new NiftiFormatException(file, "truncated gzip stream: " + e.getMessage(), e);
        }
    }

    /** Reads only the header (and checks it), e.g. to compare shapes and spacings without loading voxels. */
    public static NiftiHeader readHeader(Path file) throws IOException {
        try (InputStream in = open(file)) {
            return NiftiHeaderCodec.read(in, file);
        } catch (ZipException e) {
            throw new NiftiFormatException(file, "corrupt gzip stream: " + e.getMessage(), e);
        } catch (EOFException e) {
            throw new NiftiFormatException(file, "truncated gzip stream: " + e.getMessage(), e);
        }
    }

    /**
     * Writes an image with its header (NIfTI-2 when the header came from one or a dim exceeds NIfTI-1's
     * 32767), gzipped when the name ends in {@code .gz}. Written to a sibling temp file and moved into
     * place, so readers never see half a file.
     */
    public static void write(Path file, NiftiImage image) throws IOException {
        NiftiHeader h = image.header().copy();
        NdArray data = image.data();
        if (h.version == 1 && NiftiImage.needsNifti2(h.fileShape())) {
            h.version = 2;
        }
        h.voxOffset = h.version == 2 ? NiftiHeaderCodec.NIFTI2_DATA_OFFSET : NiftiHeaderCodec.NIFTI1_DATA_OFFSET;
        byte[] header = NiftiHeaderCodec.encode(h);
        boolean gzip = file.getFileName().toString().endsWith(".gz");
        AtomicFiles.write(file, tmp -> {
            try (OutputStream out = create(tmp, gzip)) {
                out.write(header);
                ByteBuffer b = data.data();
                byte[] chunk = new byte[Math.min(b.remaining(), 1 << 20)];
                while (b.hasRemaining()) {
                    int n = Math.min(chunk.length, b.remaining());
                    b.get(chunk, 0, n);
                    out.write(chunk, 0, n);
                }
            }
        });
    }

    private static InputStream open(Path file) throws IOException {
        BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), BUFFER);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            try {
                return new GZIPInputStream(in, BUFFER);
            } catch (IOException e) {
                in.close();
                throw new NiftiFormatException(file, "corrupt gzip header: " + e.getMessage(), e);
            }
        }
        return in;
    }

    private static OutputStream create(Path file, boolean gzip) throws IOException {
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), BUFFER);
        if (!gzip) {
            return out;
        }
        // fastest deflate level, as nibabel writes .nii.gz: several times faster, files a little larger
        return new GZIPOutputStream(out, BUFFER) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        };
    }

    /** Reverses each element's bytes in place (big-endian file to our little-endian arrays). */
    private static void swapBytes(byte[] b, int size) {
        if (size == 1) {
            return;
        }
        for (int i = 0; i < b.length; i += size) {
            for (int lo = i, hi = i + size - 1; lo < hi; lo++, hi--) {
                byte t = b[lo];
                b[lo] = b[hi];
                b[hi] = t;
            }
        }
    }

}
