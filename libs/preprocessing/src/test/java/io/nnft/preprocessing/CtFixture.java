package io.nnft.preprocessing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nnft.imageio.NdArray;
import io.nnft.planning.Plans;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The nnU-Net preprocessing fixture (resources/ct, copied from shared/fixtures/nnunet-ref/preprocess/ct). */
final class CtFixture {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private CtFixture() {
    }

    static Path dir() {
        try {
            return Path.of(CtFixture.class.getResource("/ct/nnUNetPlans.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(String relative) {
        try {
            return MAPPER.readTree(Files.readString(dir().resolve(relative)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static PreprocessingPlan plan(String configuration) {
        return PreprocessingPlan.of(Plans.read(dir().resolve("nnUNetPlans.json")), configuration,
                DatasetLabels.fromDatasetJson(json("dataset.json"), "dataset.json"));
    }

    /** ct_000 as nnU-Net's NibabelIO reads it (arrays written by src/test/python/make_ct_arrays.py). */
    static RawCase ct000(boolean withSeg) {
        NdArray data = TestArrays.npy("ct/arrays/ct_000_data.npy");
        NdArray seg = TestArrays.npy("ct/arrays/ct_000_seg.npy");
        JsonNode reader = json("arrays/ct_000_reader.json");
        int[] s = data.intShape();
        int[] shape = {s[1], s[2], s[3]};
        double[] spacing = MAPPER.convertValue(reader.get("spacing"), double[].class);
        ObjectNode stuff = MAPPER.createObjectNode();
        stuff.set("nibabel_stuff", reader.get("nibabel_stuff"));
        return new RawCase("ct_000", new float[][]{data.toFloats()}, shape,
                withSeg ? TestArrays.shorts(seg) : null, spacing, stuff);
    }
}
