package io.nnft.checkpoint.pickle;

import io.nnft.imageio.NdArray;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * Writes the zip layout of {@code torch.save}: {@code <archive>/data.pkl}, {@code byteorder},
 * {@code data/<key>} (sorted by key string, as torch does) and {@code version} = 3. Records are stored
 * uncompressed and 64-byte aligned through a padding extra field, like PyTorch's stream writer, so
 * torch can also memory-map them. Output is deterministic (fixed 1980 timestamps).
 */
public final class TorchZipWriter {
    private static final int ALIGN = 64;
    private static final int FB_EXTRA_ID = 0x4246; // "FB": PyTorch's padding extra field

    private final OutputStream out;
    private final List<byte[]> central = new ArrayList<>();
    private long offset;

    private TorchZipWriter(OutputStream out) {
        this.out = out;
    }

    public static void write(Path file, String archiveName, TorchPickler.Pickled pickled) throws IOException {
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            TorchZipWriter w = new TorchZipWriter(os);
            w.record(archiveName + "/data.pkl", ByteBuffer.wrap(pickled.pickle()));
            w.record(archiveName + "/byteorder", ByteBuffer.wrap("little".getBytes(StandardCharsets.US_ASCII)));
            for (Map.Entry<String, NdArray> e : new TreeMap<>(pickled.storages()).entrySet()) {
                w.record(archiveName + "/data/" + e.getKey(), e.getValue().data());
            }
            w.record(archiveName + "/version", ByteBuffer.wrap("3\n".getBytes(StandardCharsets.US_ASCII)));
            w.finish();
        }
    }

    private void record(String name, ByteBuffer data) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        int size = data.remaining();
        CRC32 crc = new CRC32();
        crc.update(data.duplicate());
        long headerEnd = offset + 30 + nameBytes.length + 4;
        int pad = (int) ((ALIGN - headerEnd % ALIGN) % ALIGN);
        if (offset + 30L + nameBytes.length + 4 + pad + size > 0xffffffffL) {
            throw new IOException("checkpoint exceeds 4 GiB at record " + name + " (zip64 is not written)");
        }
        ByteBuffer h = le(30 + nameBytes.length + 4 + pad);
        h.putInt(0x04034b50).putShort((short) 20).putShort((short) 0x0800).putShort((short) 0)
                .putShort((short) 0).putShort((short) 0).putInt((int) crc.getValue()).putInt(size).putInt(size)
                .putShort((short) nameBytes.length).putShort((short) (4 + pad)).put(nameBytes)
                .putShort((short) FB_EXTRA_ID).putShort((short) pad);
        out.write(h.array());
        write(data);
        ByteBuffer c = le(46 + nameBytes.length);
        c.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) 0x0800).putShort((short) 0)
                .putShort((short) 0).putShort((short) 0).putInt((int) crc.getValue()).putInt(size).putInt(size)
                .putShort((short) nameBytes.length).putShort((short) 0).putShort((short) 0).putShort((short) 0)
                .putShort((short) 0).putInt(0).putInt((int) offset).put(nameBytes);
        central.add(c.array());
        offset += h.capacity() + size;
    }

    private void write(ByteBuffer data) throws IOException {
        ByteBuffer d = data.duplicate();
        byte[] chunk = new byte[Math.min(d.remaining(), 1 << 16)];
        while (d.hasRemaining()) {
            int n = Math.min(chunk.length, d.remaining());
            d.get(chunk, 0, n);
            out.write(chunk, 0, n);
        }
    }

    private void finish() throws IOException {
        ByteArrayOutputStream dir = new ByteArrayOutputStream();
        for (byte[] c : central) {
            dir.write(c);
        }
        if (central.size() > 0xffff) {
            throw new IOException("checkpoint has " + central.size() + " records; zip64 is not written");
        }
        out.write(dir.toByteArray());
        ByteBuffer end = le(22);
        end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) central.size())
                .putShort((short) central.size()).putInt(dir.size()).putInt((int) offset).putShort((short) 0);
        out.write(end.array());
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }
}
