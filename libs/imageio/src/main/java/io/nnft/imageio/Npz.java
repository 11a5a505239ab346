package io.nnft.imageio;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** numpy's .npz: a zip of .npy members, keyed by member name without the extension. */
public final class Npz {
    private Npz() {
    }

    public static Map<String, NdArray> read(Path file) throws IOException {
        Map<String, NdArray> out = new LinkedHashMap<>();
        try {
            readMembers(file, out);
        } catch (IllegalArgumentException e) {
            // java.util.zip decodes member names lazily and reports bytes that are not UTF-8 this way
            throw new IOException(file + ": not a readable npz: " + e.getMessage(), e);
        }
        return out;
    }

    private static void readMembers(Path file, Map<String, NdArray> out) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            var entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                String name = e.getName();
                if (!name.endsWith(".npy")) {
                    continue;
                }
                try (InputStream in = zip.getInputStream(e)) {
                    out.put(name.substring(0, name.length() - 4), Npy.read(in, file + "!" + name));
                }
            }
        }
    }

    /** Writes arrays as {@code np.savez_compressed} does (deflated members {@code <key>.npy}), atomically. */
    public static void writeCompressed(Path file, Map<String, NdArray> arrays) throws IOException {
        AtomicFiles.write(file, tmp -> {
            try (ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
                zip.setMethod(ZipOutputStream.DEFLATED);
                for (Map.Entry<String, NdArray> e : arrays.entrySet()) {
                    zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                    Npy.write(zip, e.getValue());
                    zip.closeEntry();
                }
            }
        });
    }
}
