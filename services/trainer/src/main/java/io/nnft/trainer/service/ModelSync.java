package io.nnft.trainer.service;

import io.nnft.storage.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Mirrors the local model folder to {@code jobs/<id>/model/}: uploads the files that changed since the last
 * sync (size, modification time or inode), skipping the worker's hidden temporary files. Each file is read
 * from one open channel, so a checkpoint the worker atomically replaces meanwhile is uploaded whole (the old
 * version) rather than torn.
 */
final class ModelSync {
    private final ObjectStore store;
    private final Path dir;
    private final String prefix;
    private final Map<Path, String> uploaded = new HashMap<>();

    ModelSync(ObjectStore store, Path dir, String prefix) {
        this.store = store;
        this.dir = dir;
        this.prefix = prefix.endsWith("/") ? prefix : prefix + "/";
    }

    /** Counts every file now in the folder as uploaded (it was just downloaded from the bucket). */
    void markAllUploaded() {
        for (Path f : files()) {
            try {
                uploaded.put(f, version(f, Files.size(f)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + f, e);
            }
        }
    }

    private List<Path> files() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the model folder " + dir, e);
        }
    }

    private static String version(Path f, long size) throws IOException {
        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
        return size + "@" + a.lastModifiedTime().toMillis() + "#" + a.fileKey();
    }

    /** Uploads what changed; returns the keys written. */
    List<String> sync() {
        List<String> keys = new ArrayList<>();
        for (Path f : files()) {
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                String version = version(f, ch.size());
                if (version.equals(uploaded.get(f))) {
                    continue;
                }
                String key = prefix + dir.relativize(f).toString().replace(java.io.File.separatorChar, '/');
                store.put(key, Channels.newInputStream(ch), ch.size(), contentType(f));
                uploaded.put(f, version);
                keys.add(key);
            } catch (java.nio.file.NoSuchFileException gone) {
                // Replaced between listing and opening: the next sync takes the new one.
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + f + " for upload", e);
            }
        }
        return keys;
    }

    private static String contentType(Path f) {
        String n = f.getFileName().toString();
        return n.endsWith(".json") ? "application/json" : n.endsWith(".png") ? "image/png" : "application/octet-stream";
    }
}
