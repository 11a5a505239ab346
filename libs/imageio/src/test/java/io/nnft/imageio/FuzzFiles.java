package io.nnft.imageio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One scratch file per fuzz target: the readers take paths, and rewriting one small file per input is
 * far cheaper than a fresh temp file per execution (millions of them). Shared with the other fuzzed
 * modules through imageio's test-jar.
 */
public final class FuzzFiles {
    private FuzzFiles() {
    }

    /** A scratch file named {@code name} (the ending matters to some readers), deleted when the JVM exits. */
    public static Path scratch(String name) {
        try {
            Path dir = Files.createTempDirectory("nnft-fuzz-");
            dir.toFile().deleteOnExit();
            Path file = dir.resolve(name);
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the fuzz input to {@code file}, replacing what the previous execution left. */
    public static Path write(Path file, byte[] input) {
        try {
            return Files.write(file, input);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where a fuzz class keeps its checked-in seeds: Jazzer's {@code <Class>Inputs/<method>/} resource folder. */
    public static Path seedDir(Path moduleDir, Class<?> fuzzClass, String method) {
        return moduleDir.resolve("src/test/resources").resolve(fuzzClass.getPackageName().replace('.', '/'))
                .resolve(fuzzClass.getSimpleName() + "Inputs").resolve(method);
    }
}
