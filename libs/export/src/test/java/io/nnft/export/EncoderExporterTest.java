package io.nnft.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nnft.checkpoint.NnUNetCheckpoint;
import io.nnft.checkpoint.PyValues;
import io.nnft.checkpoint.SafeTensors;
import io.nnft.checkpoint.StateDictFile;
import io.nnft.imageio.NdArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Export of nnU-Net's own slim e_tiny_iso checkpoint, every artifact read back and checked against the source. */
class EncoderExporterTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    static Path tmp;

    static NnUNetCheckpoint source;
    static ExportResult result;
    static JsonNode manifest;

    @BeforeAll
    static void export() throws IOException {
        source = NnUNetCheckpoint.read(Fixtures.checkpoint());
        result = EncoderExporter.export(Fixtures.checkpoint(), tmp.resolve("out"),
                ExportOptions.of("s3://nnft/jobs/job-1/model/fold_0/checkpoint_final.pth").withJob("job-1")
                        .withClassifierStarter(3));
        manifest = MAPPER.readTree(tmp.resolve("out/manifest.json").toFile());
    }

    /** The source's encoder tensors straight from the full 188-key state_dict (not through our exporter). */
    private static Map<String, NdArray> sourceEncoder() {
        Map<String, NdArray> out = new LinkedHashMap<>();
        source.networkWeights().forEach((k, v) -> {
            if (k.startsWith("encoder.") && !k.contains(".all_modules.")) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static void assertBitIdentical(Map<String, NdArray> actual, Map<String, NdArray> expected) {
        assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
        expected.forEach((k, e) -> {
            NdArray a = actual.get(k);
            assertThat(a.dtype()).as(k).isEqualTo(e.dtype());
            assertThat(a.shape()).as(k).containsExactly(e.shape());
            assertThat(a.data()).as(k).isEqualTo(e.data());
        });
    }

    @Test
    void encoderSafetensorsHoldsEveryEncoderTensorBitForBit() throws IOException {
        SafeTensors.Contents st = SafeTensors.read(tmp.resolve("out/encoder.safetensors"));
        Map<String, NdArray> expected = sourceEncoder();
        // 4 stages x 2 conv blocks x (conv weight, conv bias, norm weight, norm bias)
        assertThat(expected).hasSize(32);
        assertBitIdentical(st.tensors(), expected);
        assertThat(st.tensors().keySet()).allSatisfy(k -> assertThat(k).startsWith("encoder.stages.")
                .doesNotContain("all_modules"));
        assertThat(st.metadata()).containsEntry("format", "pt");
    }

    @Test
    void encoderPthIsTheSameStateDict() throws IOException {
        assertBitIdentical(StateDictFile.read(tmp.resolve("out/encoder.pth")), sourceEncoder());
    }

    @Test
    void nnUNetModelFolderReadsBackWithAllOf188Keys() throws IOException {
        Path folder = tmp.resolve("out/nnunet_model");
        NnUNetCheckpoint back = NnUNetCheckpoint.read(folder.resolve("fold_0/checkpoint_final.pth"));
        assertThat(back.networkWeights()).hasSize(188);
        assertThat(back.networkWeights().keySet()).containsExactlyElementsOf(source.networkWeights().keySet());
        source.networkWeights().forEach((k, v) -> assertThat(back.networkWeights().get(k).data()).as(k).isEqualTo(v.data()));
        assertThat(back.configuration()).isEqualTo("3d_fullres");
        assertThat(back.fold()).isEqualTo(0);
        assertThat(back.trainerName()).isEqualTo("nnUNetTrainer");
        assertThat(back.bestEma()).isEqualTo(source.bestEma());
        assertThat(back.inferenceAllowedMirroringAxes()).containsExactly(0, 1, 2);
        // plans.json and dataset.json are nnU-Net's own files, byte for byte (json.dump indent=4)
        assertThat(Files.readString(folder.resolve("plans.json")))
                .isEqualTo(Files.readString(Fixtures.resource(Fixtures.MODEL + "plans.json")));
        assertThat(MAPPER.readTree(folder.resolve("dataset.json").toFile()))
                .isEqualTo(MAPPER.readTree(Fixtures.resource(Fixtures.MODEL + "dataset.json").toFile()));
    }

    @Test
    void manifestAgreesWithPlansJson() throws IOException {
        JsonNode plans = MAPPER.readTree(Fixtures.resource(Fixtures.MODEL + "plans.json").toFile());
        JsonNode conf = plans.path("configurations").path("3d_fullres");
        JsonNode kw = conf.path("architecture").path("arch_kwargs");

        assertThat(manifest.path("format").asText()).isEqualTo(ExportManifest.FORMAT);
        assertThat(manifest.path("architecture").path("network_class_name"))
                .isEqualTo(conf.path("architecture").path("network_class_name"));
        assertThat(manifest.path("architecture").path("arch_kwargs")).isEqualTo(kw);

        JsonNode enc = manifest.path("encoder");
        assertThat(enc.path("features_per_stage")).isEqualTo(kw.path("features_per_stage"));
        assertThat(enc.path("strides")).isEqualTo(kw.path("strides"));
        assertThat(enc.path("n_stages").asInt()).isEqualTo(4);
        assertThat(enc.path("tensors").asInt()).isEqualTo(32);
        long params = sourceEncoder().values().stream().mapToLong(NdArray::size).sum();
        assertThat(enc.path("parameters").asLong()).isEqualTo(params);
        int[] total = {1, 2, 4, 8};
        for (int s = 0; s < 4; s++) {
            JsonNode st = enc.path("stages").path(s);
            assertThat(st.path("features")).isEqualTo(kw.path("features_per_stage").path(s));
            assertThat(st.path("stride")).isEqualTo(kw.path("strides").path(s));
            assertThat(st.path("kernel_size")).isEqualTo(kw.path("kernel_sizes").path(s));
            assertThat(ints(st.path("total_stride"))).containsExactly(total[s], total[s], total[s]);
            // patch 32^3 → the shapes of nnU-Net's skips (skip_s.npy): 32, 16, 8, 4
            assertThat(ints(st.path("output_shape_for_patch_size"))).containsExactly(32 / total[s], 32 / total[s], 32 / total[s]);
        }

        JsonNode in = manifest.path("input");
        assertThat(in.path("num_channels").asInt()).isEqualTo(1);
        assertThat(in.path("channel_names").path("0").asText()).isEqualTo("MRI");
        JsonNode ch0 = in.path("channels").path(0);
        assertThat(ch0.path("normalization_scheme")).isEqualTo(conf.path("normalization_schemes").path(0));
        assertThat(ch0.path("use_mask_for_norm")).isEqualTo(conf.path("use_mask_for_norm").path(0));
        assertThat(ch0.path("intensity_properties"))
                .isEqualTo(plans.path("foreground_intensity_properties_per_channel").path("0"));

        JsonNode pre = manifest.path("preprocessing");
        assertThat(pre.path("target_spacing")).isEqualTo(conf.path("spacing"));
        assertThat(pre.path("patch_size")).isEqualTo(conf.path("patch_size"));
        assertThat(pre.path("transpose_forward")).isEqualTo(plans.path("transpose_forward"));
        assertThat(pre.path("transpose_backward")).isEqualTo(plans.path("transpose_backward"));
        assertThat(manifest.path("labels")).isEqualTo(MAPPER.readTree(
                Fixtures.resource(Fixtures.MODEL + "dataset.json").toFile()).path("labels"));

        JsonNode src = manifest.path("source");
        assertThat(src.path("job").asText()).isEqualTo("job-1");
        assertThat(src.path("checkpoint").asText()).isEqualTo("s3://nnft/jobs/job-1/model/fold_0/checkpoint_final.pth");
        assertThat(src.path("dataset_name")).isEqualTo(plans.path("dataset_name"));
        assertThat(src.path("plans_name")).isEqualTo(plans.path("plans_name"));
        assertThat(src.path("configuration").asText()).isEqualTo("3d_fullres");
        assertThat(src.path("fold").asInt()).isEqualTo(0);
        assertThat(src.path("current_epoch").asInt()).isEqualTo(1);
        assertThat(src.path("best_ema_pseudo_dice").asDouble()).isEqualTo(0.47149914959099376);
    }

    @Test
    void manifestDigestsMatchTheFiles() throws Exception {
        Path out = tmp.resolve("out");
        List<String> onDisk;
        try (Stream<Path> walk = Files.walk(out)) {
            onDisk = walk.filter(Files::isRegularFile).map(p -> out.relativize(p).toString()).sorted().toList();
        }
        List<String> listed = new ArrayList<>();
        manifest.path("files").fieldNames().forEachRemaining(listed::add);
        // every file but the manifest itself is listed
        assertThat(listed).containsExactlyInAnyOrderElementsOf(
                onDisk.stream().filter(n -> !n.equals("manifest.json")).toList());
        assertThat(listed).contains("encoder.safetensors", "encoder.pth", "nnunet_model/plans.json",
                "nnunet_model/dataset.json", "nnunet_model/fold_0/checkpoint_final.pth", "classifier_starter.safetensors");
        for (Iterator<Map.Entry<String, JsonNode>> it = manifest.path("files").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            byte[] bytes = Files.readAllBytes(out.resolve(e.getKey()));
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            assertThat(e.getValue().path("sha256").asText()).as(e.getKey()).isEqualTo(sha);
            assertThat(e.getValue().path("size_bytes").asLong()).as(e.getKey()).isEqualTo(bytes.length);
        }
        // the result lists the manifest too, with its own digest
        ExportedFile m = result.file("manifest.json").orElseThrow();
        assertThat(m.sha256()).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(out.resolve("manifest.json")))));
        assertThat(result.files()).hasSize(onDisk.size());
    }

    @Test
    void classifierStarterIsTheEncoderPlusAHeInitialisedHead() throws IOException {
        SafeTensors.Contents st = SafeTensors.read(tmp.resolve("out/classifier_starter.safetensors"));
        Map<String, NdArray> encoderPart = new LinkedHashMap<>(st.tensors());
        NdArray w = encoderPart.remove("head.weight");
        NdArray b = encoderPart.remove("head.bias");
        assertBitIdentical(encoderPart, sourceEncoder());
        assertThat(w.shape()).containsExactly(3, 32); // 3 classes x bottleneck features (features_per_stage[3])
        assertThat(b.toFloats()).containsOnly(0f);
        float[] v = w.toFloats();
        double sumSq = 0;
        for (float x : v) {
            sumSq += x * x;
        }
        // He normal: std sqrt(2/32) = 0.25; 96 draws put the sample std well within [0.18, 0.32]
        assertThat(Math.sqrt(sumSq / v.length)).isBetween(0.18, 0.32);
        JsonNode section = manifest.path("classifier_starter");
        assertThat(section.path("num_classes").asInt()).isEqualTo(3);
        assertThat(section.path("in_features").asInt()).isEqualTo(32);
        assertThat(section.path("pooled_stage").asInt()).isEqualTo(3);
        // the same seed gives the same head
        ClassifierStarter again = ClassifierStarter.create(sourceEncoder(), 3, 32, 3, ExportOptions.DEFAULT_SEED);
        assertThat(again.headWeight().data()).isEqualTo(w.data());
    }

    @Test
    void withoutAStarterNoStarterIsWritten(@TempDir Path dir) throws IOException {
        // a starter from an earlier export into the same folder does not survive
        EncoderExporter.export(source, "fixture", dir, ExportOptions.of("fixture").withClassifierStarter(2));
        assertThat(dir.resolve("classifier_starter.safetensors")).exists();
        ExportResult r = EncoderExporter.export(source, "fixture", dir, ExportOptions.of("fixture"));
        assertThat(dir.resolve("classifier_starter.safetensors")).doesNotExist();
        assertThat(r.manifest().has("classifier_starter")).isFalse();
        assertThat(r.files()).extracting(ExportedFile::name).containsExactly("encoder.safetensors", "encoder.pth",
                "nnunet_model/plans.json", "nnunet_model/dataset.json", "nnunet_model/fold_0/checkpoint_final.pth",
                "manifest.json");
    }

    @Test
    void plansThatDoNotDescribeTheWeightsAreRefusedNamingTheField(@TempDir Path dir) throws IOException {
        NnUNetCheckpoint c = NnUNetCheckpoint.read(Fixtures.checkpoint());
        ObjectNode plans = (ObjectNode) c.plansJson();
        ArrayNode features = (ArrayNode) plans.path("configurations").path("3d_fullres").path("architecture")
                .path("arch_kwargs").path("features_per_stage");
        features.set(3, 64);
        Map<String, Object> init = new LinkedHashMap<>(c.initArgs());
        init.put("plans", PyValues.fromJson(plans));
        c.setInitArgs(init);
        assertThatThrownBy(() -> EncoderExporter.export(c, "bad.pth", dir, ExportOptions.of("bad.pth")))
                .isInstanceOf(ExportException.class)
                .hasMessageContaining("bad.pth")
                .hasMessageContaining("features_per_stage[3] is 64")
                .hasMessageContaining("outputs 32 channels");
        assertThatThrownBy(() -> ExportOptions.of("x").withClassifierStarter(0))
                .isInstanceOf(ExportException.class).hasMessageContaining("at least 1 class, found 0");
    }

    private static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asInt();
        }
        return out;
    }
}
