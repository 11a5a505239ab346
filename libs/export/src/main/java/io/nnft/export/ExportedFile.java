package io.nnft.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One file of an export.
 *
 * @param name   path relative to the export folder with '/' separators, e.g. {@code nnunet_model/fold_0/checkpoint_final.pth}
 * @param sha256 lower-case hex SHA-256 of the content
 */
public record ExportedFile(String name, Path path, String sha256, long sizeBytes) {

    /** Hashes {@code file}, named relative to {@code root}. */
    public static ExportedFile of(Path root, Path file) {
        String name = root.relativize(file).toString().replace(java.io.File.separatorChar, '/');
        return new ExportedFile(name, file, sha256(file), size(file));
    }

    public static String sha256(Path file) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hash " + file, e);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stat " + file, e);
        }
    }
}
