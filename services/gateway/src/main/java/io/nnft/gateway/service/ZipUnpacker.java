package io.nnft.gateway.service;

import io.nnft.events.Problem;
import io.nnft.gateway.ProblemException;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Unpacks an uploaded dataset zip into a scratch folder, as an object-store front end would guard it:
 * <ul>
 *   <li>zip slip: entries that would land outside the folder ({@code ../}, absolute paths, drive letters);</li>
 *   <li>zip bombs: total and per-entry unpacked bytes, entry count, and each entry's compression ratio, all counted
 *       while streaming (whatever sizes the entries claim), so a bomb stops after its first megabytes;</li>
 *   <li>only dataset files: {@code dataset.json}, {@code classification.csv} and images under
 *       {@code imagesTr/}, {@code imagesTs/}, {@code labelsTr/}, at the zip's root or in one top-level folder.
 *       macOS Finder's {@code __MACOSX/} and {@code .DS_Store} are skipped; anything else is refused by name.</li>
 * </ul>
 */
public final class ZipUnpacker {
    /** Image endings nnU-Net's readers know; the dataset's own file_ending is checked after unpacking. */
    static final List<String> IMAGE_ENDINGS = List.of(".nii.gz", ".nii", ".nrrd", ".mha", ".png", ".bmp", ".tif", ".tiff");
    private static final Pattern DATASET_FILE = Pattern.compile(
            "(?:[^/]+/)?(?:dataset\\.json|classification\\.csv|(?:imagesTr|imagesTs|labelsTr)/[^/]+)");
    private static final Pattern DATASET_DIR = Pattern.compile("(?:[^/]+/)?(?:(?:imagesTr|imagesTs|labelsTr)/)?");
    /** Ratios are judged once an entry has unpacked this much: tiny files compress well and harm nothing. */
    private static final long RATIO_GRACE_BYTES = 1 << 20;

    /**
     * @param maxRatio largest unpacked : compressed ratio of one entry (deflate reaches ~1000 on zeros; image data,
     *                 even .nii with large zero borders, stays far below)
     */
    public record Limits(long maxUnpackedBytes, long maxEntryBytes, int maxEntries, double maxRatio) {
    }

    private final Limits limits;

    public ZipUnpacker(Limits limits) {
        this.limits = limits;
    }

    /** Unpacks {@code zip} below {@code target}; returns the number of files written. */
    public int unpack(Path zip, Path target) throws IOException {
        Path root = target.toAbsolutePath().normalize();
        Files.createDirectories(root);
        long total = 0;
        int entries = 0;
        int files = 0;
        byte[] buffer = new byte[1 << 16];
        try (CountingInputStream raw = new CountingInputStream(Files.newInputStream(zip));
             ZipInputStream zin = new ZipInputStream(raw)) {
            ZipEntry entry;
            while ((entry = zin.getNextEntry()) != null) {
                if (++entries > limits.maxEntries()) {
                    throw tooLarge("zip entries", "at most " + limits.maxEntries() + " entries", "more");
                }
                String name = entry.getName();
                Path out = root.resolve(name).normalize();
                if (name.startsWith("/") || name.contains("\\") || name.matches("^[A-Za-z]:.*")
                        || !out.startsWith(root) || out.equals(root) && !entry.isDirectory()) {
                    throw new ProblemException(400, "unsafe zip", new Problem("zip entry '" + name + "'",
                            "a relative path inside the dataset folder", "a path leaving it"));
                }
                if (name.startsWith("__MACOSX/") || name.equals(".DS_Store") || name.endsWith("/.DS_Store")) {
                    continue;
                }
                if (entry.isDirectory()) {
                    if (!DATASET_DIR.matcher(name).matches()) {
                        throw notADatasetFile(name);
                    }
                    Files.createDirectories(out);
                    continue;
                }
                if (!DATASET_FILE.matcher(name).matches() || name.contains("ages") && !isImage(name)) {
                    throw notADatasetFile(name);
                }
                Files.createDirectories(out.getParent());
                long entryBytes = 0;
                long compressedAtStart = raw.count();
                try (OutputStream os = Files.newOutputStream(out)) {
                    int n;
                    while ((n = zin.read(buffer)) > 0) {
                        total += n;
                        entryBytes += n;
                        if (total > limits.maxUnpackedBytes()) {
                            throw tooLarge("unpacked size", "at most " + limits.maxUnpackedBytes() + " bytes unpacked",
                                    "more (stopped at '" + name + "')");
                        }
                        if (entryBytes > limits.maxEntryBytes()) {
                            throw tooLarge("zip entry '" + name + "'", "at most " + limits.maxEntryBytes()
                                    + " bytes unpacked per file", "more");
                        }
                        double ratio = entryBytes / (double) Math.max(1, raw.count() - compressedAtStart);
                        if (entryBytes > RATIO_GRACE_BYTES && ratio > limits.maxRatio()) {
                            throw tooLarge("zip entry '" + name + "'", "a compression ratio of at most "
                                    + limits.maxRatio() + " : 1 (nnft.gateway.uploads.max-compression-ratio)",
                                    String.format(Locale.ROOT, "%.0f : 1 after %d bytes (a zip bomb?)", ratio, entryBytes));
                        }
                        os.write(buffer, 0, n);
                    }
                }
                files++;
            }
        } catch (ZipException | EOFException e) {
            // EOFException: a stream cut in the middle of an entry (found by ZipUnpackerFuzzTest, was a 500)
            throw new ProblemException(400, "not a zip file", new Problem("body",
                    "a zip archive of an nnU-Net raw dataset folder", "unreadable zip: " + e));
        } catch (IllegalArgumentException e) {
            // java.util.zip's "malformed input" for names that are not UTF-8, and InvalidPathException for a NUL
            // in a name (found by ZipUnpackerFuzzTest, both were 500s)
            throw new ProblemException(400, "not a zip file", new Problem("body",
                    "a zip archive with UTF-8 entry names", "an unreadable entry name: " + e.getMessage()));
        }
        if (entries == 0) {
            throw new ProblemException(400, "not a zip file", new Problem("body",
                    "a zip archive of an nnU-Net raw dataset folder", "no zip entries"));
        }
        return files;
    }

    private static boolean isImage(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return IMAGE_ENDINGS.stream().anyMatch(lower::endsWith);
    }

    private static ProblemException notADatasetFile(String name) {
        return new ProblemException(400, "not a dataset file", new Problem("zip entry '" + name + "'",
                "only dataset.json, classification.csv and images (" + String.join(", ", IMAGE_ENDINGS)
                        + ") under imagesTr/, imagesTs/, labelsTr/, at the zip's root or in one top-level folder",
                "'" + name + "'"));
    }

    private static ProblemException tooLarge(String where, String expected, String found) {
        return new ProblemException(413, "upload too large", new Problem(where, expected, found));
    }

    /** Compressed bytes consumed so far: the denominator of each entry's ratio. */
    private static final class CountingInputStream extends FilterInputStream {
        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        long count() {
            return count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n);
            count += s;
            return s;
        }
    }
}
