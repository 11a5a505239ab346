package io.nnft.preprocessing.io;

import io.nnft.imageio.AtomicFiles;
import io.nnft.imageio.DType;
import io.nnft.imageio.NdArray;
import io.nnft.imageio.Npy;
import io.nnft.preprocessing.PreprocessedCase;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes one preprocessed case in nnU-Net's unpacked layout: {@code <case>.npy} (float32 c, z, y, x),
 * {@code <case>_seg.npy} (int8, or int16 when a label exceeds 127; 1, z, y, x) and {@code <case>.json}
 * (properties). Every file is written under a temporary name and moved into place; the JSON comes
 * last, so its presence means the case is complete (what re-runs use to skip finished cases).
 */
public final class CaseWriter {
    private CaseWriter() {
    }

    public static Path dataFile(Path dir, String id) {
        return dir.resolve(id + ".npy");
    }

    public static Path segFile(Path dir, String id) {
        return dir.resolve(id + "_seg.npy");
    }

    public static Path propertiesFile(Path dir, String id) {
        return dir.resolve(id + ".json");
    }

    /** True when all three files of the case exist (the properties are written last). */
    public static boolean isComplete(Path dir, String id) {
        return Files.isRegularFile(propertiesFile(dir, id)) && Files.isRegularFile(dataFile(dir, id))
                && Files.isRegularFile(segFile(dir, id));
    }

    public static void write(Path dir, PreprocessedCase c) throws IOException {
        Files.createDirectories(dir);
        int[] s = c.shape();
        writeFloats(dataFile(dir, c.identifier()), new long[]{c.data().length, s[0], s[1], s[2]}, c.data());
        long[] segShape = {1, s[0], s[1], s[2]};
        NdArray seg;
        if (c.segFitsInt8()) {
            byte[] b = new byte[c.seg().length];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) c.seg()[i];
            }
            seg = NdArray.ofBytes(segShape, b);
        } else {
            seg = NdArray.ofShorts(segShape, c.seg());
        }
        Npy.write(segFile(dir, c.identifier()), seg);
        writeText(propertiesFile(dir, c.identifier()), c.properties().toJson());
    }

    /**
     * Streams the channels into one float32 .npy without assembling them in memory first (the
     * output of a large case would otherwise exist twice while it is written). The header is the
     * one {@link Npy} writes; {@code Npy.read} reads the result.
     */
    static void writeFloats(Path file, long[] shape, float[][] channels) throws IOException {
        AtomicFiles.write(file, tmp -> {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                out.write(NpyHeader.of(DType.FLOAT32, shape));
                ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
                for (float[] channel : channels) {
                    for (int i = 0; i < channel.length; ) {
                        int n = Math.min(chunk.capacity() / 4, channel.length - i);
                        chunk.clear();
                        chunk.asFloatBuffer().put(channel, i, n);
                        out.write(chunk.array(), 0, n * 4);
                        i += n;
                    }
                }
            }
        });
    }

    static void writeText(Path file, String text) throws IOException {
        AtomicFiles.write(file, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
    }
}
