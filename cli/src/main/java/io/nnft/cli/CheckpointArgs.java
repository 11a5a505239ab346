package io.nnft.cli;

import io.nnft.checkpoint.NnUNetCheckpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a --checkpoint for the network commands; a missing or unreadable file is bad input. */
final class CheckpointArgs {
    private CheckpointArgs() {
    }

    static NnUNetCheckpoint read(Path checkpoint) {
        if (!Files.isRegularFile(checkpoint)) {
            throw new BadInputException("--checkpoint: expected an nnU-Net .pth file, found no file at " + checkpoint);
        }
        try {
            return NnUNetCheckpoint.read(checkpoint);
        } catch (IOException | RuntimeException e) {
            throw new BadInputException(checkpoint + ": not a readable nnU-Net checkpoint: " + e.getMessage(), e);
        }
    }
}
