package io.nnft.checkpoint.pickle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads a {@code torch.save} zip (PyTorch ≥ 1.6): finds the archive prefix from {@code data.pkl},
 * checks {@code byteorder} when present, and unpickles {@code data.pkl} with the
 * {@link AllowListUnpickler}, feeding it the {@code data/<key>} records.
 */
public final class TorchZipReader {
    private TorchZipReader() {
    }

    /** The unpickled root object of the checkpoint at {@code file}. */
    public static Object load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("checkpoint " + file + " does not exist or is not a file");
        }
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new IOException(file + ": not a PyTorch zip checkpoint (" + e.getMessage() + ")"
                    + (startsWithPickle(file) ? "; this looks like the legacy pre-1.6 torch.save format, which is not supported" : "")
                    + "; the file may be truncated", e);
        }
        try (zip) {
            String prefix;
            try {
                prefix = archivePrefix(zip, file);
            } catch (IllegalArgumentException e) {
                // java.util.zip decodes record names lazily and reports bytes that are not UTF-8 this way
                throw new IOException(file + ": a zip record name is not UTF-8 (" + e.getMessage()
                        + "); not a torch.save checkpoint", e);
            }
            ZipEntry byteorder = zip.getEntry(prefix + "byteorder");
            if (byteorder != null) {
                String order = new String(read(zip, byteorder, file), StandardCharsets.US_ASCII).trim();
                if (!order.equals("little")) {
                    throw new IOException(file + ": byteorder record says '" + order + "', expected 'little'");
                }
            }
            byte[] pickle = read(zip, zip.getEntry(prefix + "data.pkl"), file);
            StorageSource storages = key -> {
                if (key.isEmpty() || key.contains("/") || key.contains("..")) {
                    throw new IOException(file + ": invalid storage key '" + key + "'");
                }
                ZipEntry e = zip.getEntry(prefix + "data/" + key);
                if (e == null) {
                    throw new IOException(file + ": storage record '" + prefix + "data/" + key + "' is missing");
                }
                return ByteBuffer.wrap(read(zip, e, file));
            };
            try {
                return new AllowListUnpickler(storages, file + "!" + prefix + "data.pkl").load(pickle);
            } catch (PickleRefusedException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
    }

    private static String archivePrefix(ZipFile zip, Path file) throws IOException {
        Enumeration<? extends ZipEntry> entries = zip.entries();
        while (entries.hasMoreElements()) {
            String name = entries.nextElement().getName();
            if (name.equals("data.pkl")) {
                return "";
            }
            if (name.endsWith("/data.pkl") && name.indexOf('/') == name.length() - "/data.pkl".length()) {
                return name.substring(0, name.length() - "data.pkl".length());
            }
        }
        throw new IOException(file + ": zip has no '<archive>/data.pkl' record; not a torch.save checkpoint");
    }

    private static byte[] read(ZipFile zip, ZipEntry e, Path file) throws IOException {
        if (e.getSize() > Integer.MAX_VALUE - 8) {
            throw new IOException(file + ": record " + e.getName() + " of " + e.getSize() + " bytes exceeds 2 GiB");
        }
        try (InputStream in = zip.getInputStream(e)) {
            byte[] b = in.readAllBytes();
            if (e.getSize() >= 0 && b.length != e.getSize()) {
                throw new IOException(file + ": record " + e.getName() + " has " + b.length + " bytes, its header says "
                        + e.getSize() + "; the file may be truncated");
            }
            return b;
        } catch (ZipException ex) {
            throw new IOException(file + ": record " + e.getName() + " is corrupt (" + ex.getMessage()
                    + "); the file may be truncated", ex);
        }
    }

    private static boolean startsWithPickle(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x80;
        } catch (IOException e) {
            return false;
        }
    }
}
