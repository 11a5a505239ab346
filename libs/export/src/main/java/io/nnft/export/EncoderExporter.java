package io.nnft.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nnft.checkpoint.NnUNetCheckpoint;
import io.nnft.checkpoint.SafeTensors;
import io.nnft.checkpoint.StateDictFile;
import io.nnft.imageio.NdArray;
import io.nnft.pycompat.PythonJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Exports the encoder of an nnU-Net checkpoint into a folder:
 * <pre>
 * encoder.safetensors                   encoder tensors, nnU-Net names (encoder.stages...)
 * encoder.pth                           the same tensors as a plain state_dict (torch.load weights_only=True)
 * nnunet_model/plans.json               an nnU-Net model folder nnUNetPredictor loads
 * nnunet_model/dataset.json
 * nnunet_model/fold_F/checkpoint_final.pth
 * classifier_starter.safetensors        optional: encoder + global-average-pool + linear head
 * manifest.json                         how to use all of it, with every other file's sha256 and size
 * </pre>
 * Used by the exporter service and {@code nnft export-encoder}.
 */
public final class EncoderExporter {
    public static final String ENCODER_SAFETENSORS = "encoder.safetensors";
    public static final String ENCODER_PTH = "encoder.pth";

    private EncoderExporter() {
    }

    /** Reads {@code checkpoint} and exports it into {@code dir} (created when missing). */
    public static ExportResult export(Path checkpoint, Path dir, ExportOptions options) throws IOException {
        NnUNetCheckpoint c = NnUNetCheckpoint.read(checkpoint);
        return export(c, checkpoint.toString(), dir, options);
    }

    /** Exports an already read checkpoint; {@code where} names it in errors. */
    public static ExportResult export(NnUNetCheckpoint checkpoint, String where, Path dir, ExportOptions options)
            throws IOException {
        LinkedHashMap<String, NdArray> encoder = EncoderWeights.of(checkpoint, where);
        ObjectNode manifest;
        try {
            manifest = ExportManifest.build(checkpoint, encoder, options, where);
        } catch (IllegalStateException e) { // init_args entries of the wrong type
            throw new ExportException(where + ": " + e.getMessage(), e);
        }
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();

        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt"); // what the safetensors/transformers loaders expect for PyTorch tensors
        meta.put("nnft", "encoder of " + manifest.path("source").path("dataset_name").asText() + " "
                + checkpoint.configuration() + " fold " + checkpoint.fold() + "; see manifest.json");
        Path st = dir.resolve(ENCODER_SAFETENSORS);
        SafeTensors.write(st, encoder, meta);
        written.add(st);
        Path pth = dir.resolve(ENCODER_PTH);
        StateDictFile.write(pth, encoder);
        written.add(pth);
        written.addAll(NnUNetModelFolder.write(checkpoint, dir.resolve(NnUNetModelFolder.DIR), where));

        if (options.classifierClasses() == null) {
            // an earlier export into the same folder must not leave a starter the manifest does not describe
            Files.deleteIfExists(dir.resolve(ClassifierStarter.FILE));
        } else {
            int last = manifest.path("encoder").path("n_stages").asInt() - 1;
            int features = manifest.path("encoder").path("features_per_stage").path(last).asInt();
            ClassifierStarter starter = ClassifierStarter.create(encoder, last, features, options.classifierClasses(),
                    options.classifierSeed());
            Path cs = dir.resolve(ClassifierStarter.FILE);
            SafeTensors.write(cs, starter.tensors(), Map.of("format", "pt"));
            written.add(cs);
            manifest.set("classifier_starter", starter.manifestSection());
        }

        return finish(dir, written, manifest);
    }

    /**
     * Records every written file's SHA-256 and size in the manifest's {@code files}, then writes manifest.json
     * (last, so its digests cover everything else).
     */
    static ExportResult finish(Path dir, List<Path> written, ObjectNode manifest) throws IOException {
        List<ExportedFile> files = new ArrayList<>();
        ObjectNode digests = manifest.putObject("files");
        for (Path p : written) {
            ExportedFile f = ExportedFile.of(dir, p);
            files.add(f);
            ObjectNode d = digests.putObject(f.name());
            d.put("sha256", f.sha256());
            d.put("size_bytes", f.sizeBytes());
        }
        Path manifestFile = dir.resolve(ExportManifest.FILE);
        Files.writeString(manifestFile, PythonJson.write(manifest) + "\n");
        files.add(ExportedFile.of(dir, manifestFile));
        return new ExportResult(dir, files, manifest);
    }
}
