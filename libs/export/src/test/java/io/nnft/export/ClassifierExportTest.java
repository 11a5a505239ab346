package io.nnft.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nnft.checkpoint.NnUNetCheckpoint;
import io.nnft.checkpoint.SafeTensors;
import io.nnft.imageio.NdArray;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A classifier checkpoint (the test model's encoder plus a 2-class linear head, as libs/classification stores
 * it) exported: encoder files, the whole classifier as safetensors, its model folder and a manifest naming the
 * classes and head shapes; a head that does not match classification.json is refused.
 */
class ClassifierExportTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Path MODEL = Fixtures.checkpoint();

    @TempDir
    Path tmp;

    /** The test model's encoder with a head reading {@code features} pooled channels into 2 classes. */
    private static NnUNetCheckpoint classifier(long features) throws Exception {
        NnUNetCheckpoint c = NnUNetCheckpoint.read(MODEL);
        LinkedHashMap<String, NdArray> weights = new LinkedHashMap<>();
        c.canonicalWeights().forEach((k, v) -> {
            if (k.startsWith("encoder.")) {
                weights.put(k, v);
            }
        });
        float[] w = new float[(int) (2 * features)];
        for (int i = 0; i < w.length; i++) {
            w[i] = i * 0.01f - 0.3f;
        }
        weights.put("head.fc.0.weight", NdArray.ofFloats(new long[] {2, features}, w));
        weights.put("head.fc.0.bias", NdArray.ofFloats(new long[] {2}, new float[] {0.5f, -0.5f}));
        return c.setNetworkWeights(weights); // as libs/classification stores it: canonical names, no aliases
    }

    private static long bottleneckFeatures() throws Exception {
        return EncoderWeights.outputChannels(EncoderWeights.of(NnUNetCheckpoint.read(MODEL),
                "model"), EncoderWeights.stages(EncoderWeights.of(
                NnUNetCheckpoint.read(MODEL), "model")).last());
    }

    private static ObjectNode description(long features, long outputs) {
        ObjectNode d = MAPPER.createObjectNode();
        d.put("task", "classification");
        d.putArray("classes").add("absent").add("present");
        d.putObject("head").put("pooling", "avg").put("dropout", 0.0);
        d.putArray("pooled_stages").add(5);
        d.put("head_in_features", features);
        ObjectNode shapes = d.putObject("head_shapes");
        shapes.putArray("head.fc.0.weight").add(outputs).add(features);
        shapes.putArray("head.fc.0.bias").add(outputs);
        return d;
    }

    @Test
    void exportsEncoderClassifierAndModelFolderWithClassesAndHeadShapesInTheManifest() throws Exception {
        long f = bottleneckFeatures();
        NnUNetCheckpoint ckpt = classifier(f);
        ExportResult r = ClassifierExport.export(ckpt, description(f, 2), "ckpt", tmp.resolve("export"),
                ExportOptions.of("s3://nnft/jobs/j/model/fold_0/checkpoint_final.pth").withJob("j"));

        assertThat(r.files()).extracting(ExportedFile::name).contains("encoder.safetensors", "encoder.pth",
                "classifier.safetensors", "classifier_model/classification.json", "classifier_model/plans.json",
                "classifier_model/fold_0/checkpoint_final.pth", "manifest.json");
        assertThat(r.files()).extracting(ExportedFile::name).noneMatch(n -> n.startsWith("nnunet_model/"));
        Map<String, NdArray> encoder = SafeTensors.read(r.dir().resolve("encoder.safetensors")).tensors();
        Map<String, NdArray> classifier = SafeTensors.read(r.dir().resolve("classifier.safetensors")).tensors();
        assertThat(encoder.keySet()).allMatch(k -> k.startsWith("encoder."));
        assertThat(classifier).hasSize(encoder.size() + 2);
        assertThat(classifier.get("head.fc.0.weight").toFloats()).isEqualTo(ckpt.canonicalWeights()
                .get("head.fc.0.weight").toFloats());
        assertThat(classifier.get("head.fc.0.bias").toFloats()).containsExactly(0.5f, -0.5f);

        JsonNode manifest = MAPPER.readTree(r.dir().resolve("manifest.json").toFile());
        assertThat(manifest.path("task").asText()).isEqualTo("classification");
        JsonNode c = manifest.path("classifier");
        assertThat(c.path("classes").toString()).isEqualTo("[\"absent\",\"present\"]");
        assertThat(c.path("head_shapes").path("head.fc.0.weight").toString()).isEqualTo("[2," + f + "]");
        assertThat(c.path("head_in_features").asLong()).isEqualTo(f);
        assertThat(manifest.path("encoder").path("tensors").asInt()).isEqualTo(encoder.size());
        assertThat(manifest.path("files").path("classifier.safetensors").path("sha256").asText())
                .isEqualTo(ExportedFile.sha256(r.dir().resolve("classifier.safetensors")));
        assertThat(MAPPER.readTree(r.dir().resolve("classifier_model/classification.json").toFile())
                .path("classes").size()).isEqualTo(2);
    }

    @Test
    void aHeadOtherThanTheDescribedOneOrNoHeadIsRefused() throws Exception {
        long f = bottleneckFeatures();
        assertThatThrownBy(() -> ClassifierExport.export(classifier(f), description(f, 3), "ckpt",
                tmp.resolve("a"), ExportOptions.of("x")))
                .isInstanceOf(ExportException.class).hasMessageContaining("classification.json")
                .hasMessageContaining("head.fc.0.weight=[3, " + f + "]").hasMessageContaining("head.fc.0.weight=[2, " + f + "]");
        assertThatThrownBy(() -> ClassifierExport.export(NnUNetCheckpoint.read(MODEL), description(f, 2), "seg.pth",
                tmp.resolve("b"), ExportOptions.of("x")))
                .isInstanceOf(ExportException.class).hasMessageContaining("seg.pth")
                .hasMessageContaining("expected a classifier checkpoint with 'head.*' tensors");
    }
}
