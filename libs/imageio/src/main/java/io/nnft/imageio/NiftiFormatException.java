package io.nnft.imageio;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A NIfTI file that cannot be read or written as asked: broken, hostile or unsupported. The message
 * always starts with the file and says what was expected and what was found.
 */
public final class NiftiFormatException extends IOException {
    private final transient Path file;

    public NiftiFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public NiftiFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file the problem was found in. */
    public Path file() {
        return file;
    }
}
