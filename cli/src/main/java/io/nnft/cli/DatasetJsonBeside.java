package io.nnft.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nnft.network.PlainConvUNetConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

/** The dataset.json an nnU-Net model folder keeps beside its plans: what commands given only --plans read from it. */
final class DatasetJsonBeside {
    private DatasetJsonBeside() {
    }

    /** Segmentation heads from its labels; empty when there is no dataset.json beside {@code plans}. */
    static OptionalInt segmentationHeads(Path plans) throws IOException {
        Path dataset = plans.toAbsolutePath().getParent().resolve("dataset.json");
        if (!Files.isRegularFile(dataset)) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(PlainConvUNetConfig.segmentationHeadsFromLabels(
                new ObjectMapper().readTree(dataset.toFile()).get("labels"), dataset.toString()));
    }
}
