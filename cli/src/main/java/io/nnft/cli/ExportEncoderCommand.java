package io.nnft.cli;

import io.nnft.checkpoint.ModelFolder;
import io.nnft.checkpoint.NnUNetCheckpoint;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nnft.export.ClassifierExport;
import io.nnft.export.EncoderExporter;
import io.nnft.export.ExportException;
import io.nnft.export.ExportOptions;
import io.nnft.export.ExportResult;
import io.nnft.export.ExportedFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nnft export-encoder}: what the exporter service writes to jobs/&lt;id&gt;/export/, into a local folder. */
@Command(name = "export-encoder", mixinStandardHelpOptions = true,
        description = "Export an nnU-Net checkpoint's encoder: encoder.safetensors, encoder.pth, manifest.json, "
                + "nnunet_model/ and optionally classifier_starter.safetensors; of a classifier checkpoint also "
                + "classifier.safetensors and classifier_model/.")
public final class ExportEncoderCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, description = "nnU-Net checkpoint (.pth)")
    Path checkpoint;

    @Option(names = "--output", required = true, description = "folder to write into (created; existing files replaced)")
    Path output;

    @Option(names = "--classifier-classes", paramLabel = "N",
            description = "also write a classification starter (encoder + global average pool + linear head) for N classes")
    Integer classifierClasses;

    @Option(names = "--seed", defaultValue = "12345", description = "seed of the starter head's initialisation (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--job", description = "job id recorded in the manifest as the source")
    String job;

    @Override
    public Integer call() {
        NnUNetCheckpoint ckpt = CheckpointArgs.read(checkpoint);
        if (Files.exists(output) && !Files.isDirectory(output)) {
            throw new BadInputException("--output: expected a folder, found a file at " + output);
        }
        ExportResult result;
        try {
            ExportOptions options = new ExportOptions(job, checkpoint.toString(), classifierClasses, seed);
            ObjectNode classification = classification(ckpt);
            result = classification == null
                    ? EncoderExporter.export(ckpt, checkpoint.toString(), output, options)
                    : ClassifierExport.export(ckpt, classification, checkpoint.toString(), output, options);
        } catch (ExportException e) {
            throw new BadInputException(e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("export to " + output + " failed: " + e.getMessage(), e);
        }
        for (ExportedFile f : result.files()) {
            System.out.printf("%s  %10d  %s%n", f.sha256(), f.sizeBytes(), f.name());
        }
        System.out.println("exported " + result.manifest().path("encoder").path("tensors").asInt() + " encoder tensors ("
                + result.manifest().path("encoder").path("parameters").asLong() + " parameters) to " + output);
        return 0;
    }

    /**
     * A classifier's checkpoint (head.* tensors, written by {@code train --task classification}) is exported with
     * its head, described by classification.json in its model folder (the checkpoint's grandparent); null for
     * a segmentation checkpoint.
     */
    private ObjectNode classification(NnUNetCheckpoint ckpt) throws IOException {
        boolean classifier = ckpt.canonicalWeights().keySet().stream()
                .anyMatch(k -> k.startsWith(ModelFolder.HEAD_PREFIX));
        if (!classifier) {
            return null;
        }
        Path parent = checkpoint.toAbsolutePath().getParent();
        Path description = parent == null || parent.getParent() == null ? null
                : parent.getParent().resolve(ModelFolder.CLASSIFICATION_JSON);
        if (description == null || !Files.isRegularFile(description)) {
            throw new BadInputException("--checkpoint: a classifier checkpoint (head.* tensors) needs "
                    + ModelFolder.CLASSIFICATION_JSON + " of its model folder, found nothing at " + description);
        }
        return (ObjectNode) new ObjectMapper().readTree(description.toFile());
    }
}
