package io.nnft.gateway.service;

import io.nnft.events.Problem;
import io.nnft.gateway.ProblemException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Unpacks an uploaded zip into a scratch folder, refusing entries that would land outside it (zip slip:
 * {@code ../}, absolute paths, drive letters) and stopping once the unpacked bytes or the entry count
 * pass their limits (zip bombs), whatever sizes the entries claim.
 */
public final class ZipUnpacker {
    private final long maxUnpackedBytes;
    private final int maxEntries;

    public ZipUnpacker(long maxUnpackedBytes, int maxEntries) {
        this.maxUnpackedBytes = maxUnpackedBytes;
        this.maxEntries = maxEntries;
    }

    /** Unpacks {@code zip} below {@code target}; returns the number of files written. */
    public int unpack(Path zip, Path target) throws IOException {
        Path root = target.toAbsolutePath().normalize();
        Files.createDirectories(root);
        long total = 0;
        int entries = 0;
        int files = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(zip); ZipInputStream zin = new ZipInputStream(in)) {
            ZipEntry entry;
            while ((entry = zin.getNextEntry()) != null) {
                if (++entries > maxEntries) {
                    throw tooLarge("zip entries", "at most " + maxEntries + " entries", "more");
                }
                String name = entry.getName();
                Path out = root.resolve(name).normalize();
                if (name.startsWith("/") || name.contains("\\") || name.matches("^[A-Za-z]:.*")
                        || !out.startsWith(root) || out.equals(root) && !entry.isDirectory()) {
                    throw new ProblemException(400, "unsafe zip", new Problem("zip entry '" + name + "'",
                            "a relative path inside the dataset folder", "a path leaving it"));
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                try (OutputStream os = Files.newOutputStream(out)) {
                    int n;
                    while ((n = zin.read(buffer)) > 0) {
                        total += n;
                        if (total > maxUnpackedBytes) {
                            throw tooLarge("unpacked size", "at most " + maxUnpackedBytes + " bytes unpacked",
                                    "more (stopped at '" + name + "')");
                        }
                        os.write(buffer, 0, n);
                    }
                }
                files++;
            }
        } catch (ZipException e) {
            throw new ProblemException(400, "not a zip file", new Problem("body",
                    "a zip archive of an nnU-Net raw dataset folder", "unreadable zip: " + e.getMessage()));
        }
        if (entries == 0) {
            throw new ProblemException(400, "not a zip file", new Problem("body",
                    "a zip archive of an nnU-Net raw dataset folder", "no zip entries"));
        }
        return files;
    }

    private static ProblemException tooLarge(String where, String expected, String found) {
        return new ProblemException(413, "upload too large", new Problem(where, expected, found));
    }
}
