package io.nnft.services.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Per-job scratch folders on local disk, removed when the work is done (or failed). */
public final class WorkDirs {
    private WorkDirs() {
    }

    /** A fresh, empty {@code base/<jobId>}; whatever an earlier attempt left there is removed first. */
    public static Scratch scratch(Path base, String jobId) {
        Path dir = base.resolve(jobId);
        deleteRecursively(dir);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create scratch folder " + dir, e);
        }
        return new Scratch(dir);
    }

    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }

    /** A scratch folder that deletes itself on close. */
    public record Scratch(Path dir) implements AutoCloseable {
        @Override
        public void close() {
            deleteRecursively(dir);
        }
    }
}
