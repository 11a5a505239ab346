package io.nnft.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nnft.imageio.DType;
import io.nnft.imageio.NdArray;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
    @TempDir
    Path dir;

    @Test
    void fixtureWeightsRoundTripWithMetadata() throws Exception {
        Map<String, NdArray> canonical = NnUNetCheckpoint.read(Fixtures.checkpoint()).canonicalWeights();
        Path f = dir.resolve("encoder.safetensors");
        SafeTensors.write(f, canonical, Map.of("format", "pt", "plans", "nnUNetPlans_slim"));
        SafeTensors.Contents back = SafeTensors.read(f);
        assertThat(back.metadata()).containsEntry("format", "pt").containsEntry("plans", "nnUNetPlans_slim");
        assertThat(new ArrayList<>(back.tensors().keySet())).containsExactlyElementsOf(canonical.keySet());
        canonical.forEach((k, v) -> {
            assertThat(back.tensors().get(k).shape()).isEqualTo(v.shape());
            assertThat(back.tensors().get(k).data()).as(k).isEqualTo(v.data());
        });
    }

    @Test
    void layoutIsTheSafetensorsSpec() throws Exception {
        Map<String, NdArray> t = new LinkedHashMap<>();
        t.put("a", NdArray.ofFloats(new long[] {2}, new float[] {1.5f, -2f}));
        t.put("b", NdArray.ofShorts(new long[] {1, 3}, new short[] {1, 2, 3}));
        Path f = dir.resolve("t.safetensors");
        SafeTensors.write(f, t, Map.of());
        byte[] raw = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertThat(n % 8).isZero();
        JsonNode header = new ObjectMapper().readTree(new String(raw, 8, (int) n, StandardCharsets.UTF_8).trim());
        assertThat(header.toString()).isEqualTo(
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"I16\",\"shape\":[1,3],\"data_offsets\":[8,14]}}");
        ByteBuffer data = ByteBuffer.wrap(raw, (int) (8 + n), 14).slice().order(ByteOrder.LITTLE_ENDIAN);
        assertThat(data.getFloat(0)).isEqualTo(1.5f);
        assertThat(data.getFloat(4)).isEqualTo(-2f);
        assertThat(data.getShort(12)).isEqualTo((short) 3);
        assertThat(raw).hasSize((int) (8 + n + 14));
        assertThat(SafeTensors.read(f).tensors().get("b").dtype()).isEqualTo(DType.INT16);
    }

    @Test
    void readsAHandWrittenFile() throws Exception {
        // as written by the reference implementation: header then data, tensors in offset order
        String json = "{\"__metadata__\":{\"format\":\"pt\"},\"w\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[0,8]}}";
        ByteBuffer b = ByteBuffer.allocate(8 + json.length() + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length()).put(json.getBytes(StandardCharsets.UTF_8)).putDouble(0.25);
        Path f = Files.write(dir.resolve("h.safetensors"), b.array());
        SafeTensors.Contents c = SafeTensors.read(f);
        assertThat(c.metadata()).containsExactly(Map.entry("format", "pt"));
        assertThat(c.tensors().get("w").shape()).isEmpty();
        assertThat(c.tensors().get("w").toDoubles()).containsExactly(0.25);
    }

    @Test
    void malformedFilesAreRefused() throws Exception {
        String json = "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}";
        ByteBuffer b = ByteBuffer.allocate(8 + json.length() + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length()).put(json.getBytes(StandardCharsets.UTF_8));
        Path f = Files.write(dir.resolve("bad.safetensors"), b.array());
        assertThatThrownBy(() -> SafeTensors.read(f)).hasMessageContaining("tensor 'w'")
                .hasMessageContaining("12 bytes for shape [3]");
        Path g = Files.write(dir.resolve("huge.safetensors"), Arrays.copyOf(new byte[] {(byte) 0xff, (byte) 0xff, 0, 0, 0, 0, 0, 0}, 16));
        assertThatThrownBy(() -> SafeTensors.read(g)).hasMessageContaining("header length 65535 is invalid");
        String bf = "{\"w\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[0,2]}}";
        ByteBuffer c = ByteBuffer.allocate(8 + bf.length() + 2).order(ByteOrder.LITTLE_ENDIAN);
        c.putLong(bf.length()).put(bf.getBytes(StandardCharsets.UTF_8));
        Path h = Files.write(dir.resolve("bf16.safetensors"), c.array());
        assertThatThrownBy(() -> SafeTensors.read(h)).hasMessageContaining("dtype 'BF16' is not supported");
    }
}
