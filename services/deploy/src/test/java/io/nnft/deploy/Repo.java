package io.nnft.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The repository tree the deployment files and the services' sources are read from. */
final class Repo {
    private Repo() {
    }

    /** The root, from the system property {@code nnft.repo} that surefire sets to the multi-module root. */
    static Path root() {
        String root = System.getProperty("nnft.repo");
        if (root == null || root.isBlank()) {
            throw new IllegalStateException("system property nnft.repo is not set: expected the repository root "
                    + "(surefire sets it to ${maven.multiModuleProjectDirectory})");
        }
        Path path = Path.of(root).toAbsolutePath().normalize();
        if (!Files.isRegularFile(path.resolve("docker-compose.yml"))) {
            throw new IllegalStateException("nnft.repo=" + path + " holds no docker-compose.yml: expected the repository root");
        }
        return path;
    }

    static Path path(String relative) {
        return root().resolve(relative);
    }

    static String read(String relative) {
        Path file = path(relative);
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
