package io.nnft.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What an export wrote.
 *
 * @param files every file, manifest.json last (the manifest lists the digests of all the others)
 */
public record ExportResult(Path dir, List<ExportedFile> files, ObjectNode manifest) {
    public ExportResult {
        files = List.copyOf(files);
    }

    public Optional<ExportedFile> file(String name) {
        return files.stream().filter(f -> f.name().equals(name)).findFirst();
    }
}
