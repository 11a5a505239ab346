package io.nnft.checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Test helper: hand-assembles protocol-2 pickles (hostile ones included) and torch-style zips around them. */
final class PickleBuilder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    PickleBuilder() {
        out.write(0x80);
        out.write(2);
    }

    PickleBuilder op(int... codes) {
        for (int c : codes) {
            out.write(c);
        }
        return this;
    }

    PickleBuilder global(String module, String name) {
        out.write('c');
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
        return this;
    }

    PickleBuilder str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write('X');
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
        out.writeBytes(b);
        return this;
    }

    PickleBuilder integer(int v) {
        out.write('J');
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
        return this;
    }

    /** A tuple of ints. */
    PickleBuilder ints(long... v) {
        out.write('(');
        for (long x : v) {
            integer((int) x);
        }
        out.write('t');
        return this;
    }

    /** _rebuild_tensor_v2 over storage {@code key} (FloatStorage of {@code numel}). */
    PickleBuilder tensor(String key, int numel, int offset, long[] size, long[] stride) {
        global("torch._utils", "_rebuild_tensor_v2");
        op('(');
        op('(').str("storage").global("torch", "FloatStorage").str(key).str("cpu").integer(numel).op('t', 'Q');
        integer(offset).ints(size).ints(stride).op(0x89);
        global("collections", "OrderedDict").op(')', 'R');
        return op('t', 'R');
    }

    byte[] stop() {
        out.write('.');
        return out.toByteArray();
    }

    /** A zip laid out like torch.save's: archive/data.pkl, archive/data/<key>, archive/version. */
    static Path zip(Path file, byte[] pickle, Map<String, byte[]> storages) throws IOException {
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream z = new ZipOutputStream(os)) {
            z.putNextEntry(new ZipEntry("archive/data.pkl"));
            z.write(pickle);
            for (Map.Entry<String, byte[]> e : storages.entrySet()) {
                z.putNextEntry(new ZipEntry("archive/data/" + e.getKey()));
                z.write(e.getValue());
            }
            z.putNextEntry(new ZipEntry("archive/version"));
            z.write("3\n".getBytes(StandardCharsets.US_ASCII));
        }
        return file;
    }

    static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putFloat(x);
        }
        return b.array();
    }
}
