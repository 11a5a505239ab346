package io.nnft.classification;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nnft.checkpoint.SafeTensors;
import io.nnft.imageio.NdArray;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The classifier's weights for use outside nnft: {@code classifier.safetensors} with every tensor of the chosen
 * checkpoint (encoder.* with nnU-Net's names, then head.fc.*), and the manifest section that describes it
 * (classes, head, tensor shapes, pooled stages, patch size, SHA-256), to be merged into the encoder manifest.
 */
public final class ClassifierExport {
    public static final String FILE = "classifier.safetensors";

    private ClassifierExport() {
    }

    /** What was written: the file and its manifest section. */
    public record Result(Path file, ObjectNode manifestSection) {
    }

    /** @param which final or best */
    public static Result write(Path modelDir, String fold, String which, Path outDir) throws IOException {
        ClassificationModel model = ClassificationModel.read(modelDir);
        Path checkpoint = model.checkpoint(fold, which);
        LinkedHashMap<String, NdArray> tensors = ClassificationModel.weights(checkpoint);
        for (String k : model.headShapes().keySet()) {
            if (!tensors.containsKey(k)) {
                throw new IllegalArgumentException(checkpoint + ": expected the head tensor " + k + " of "
                        + ClassificationModel.FILE + ", found none");
            }
        }
        Files.createDirectories(outDir);
        Path file = outDir.resolve(FILE);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "nnft-classifier/1");
        metadata.put("classes", String.join(",", model.classNames()));
        SafeTensors.write(file, tensors, metadata);
        ObjectNode section = model.json().deepCopy();
        section.remove("task");
        section.put("file", FILE);
        section.put("sha256", sha256(file));
        section.put("checkpoint", "fold_" + fold + "/" + checkpoint.getFileName());
        ArrayNode keys = section.putArray("tensor_keys");
        tensors.keySet().forEach(keys::add);
        return new Result(file, section);
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
