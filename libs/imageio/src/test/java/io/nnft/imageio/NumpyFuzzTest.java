package io.nnft.imageio;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Fuzzes {@link Npy} and {@link Npz} (nnU-Net's preprocessed data and the train-step fixtures). Contract:
 * an array or an IOException naming the problem; anything else is a finding (docs/fuzzing.md).
 */
class NumpyFuzzTest {
    private static final Path NPZ = FuzzFiles.scratch("arrays.npz");

    @FuzzTest(maxDuration = "5m")
    void readNpy(byte[] input) {
        try {
            Npy.read(new ByteArrayInputStream(input), "fuzz.npy").data().remaining();
        } catch (IOException expected) {
            // refused with a message
        }
    }

    @FuzzTest(maxDuration = "5m")
    void readNpz(byte[] input) {
        FuzzFiles.write(NPZ, input);
        try {
            Npz.read(NPZ).size();
        } catch (IOException expected) {
            // refused with a message
        }
    }

    /** Regenerates the seeds: {@code -Dnnft.fuzz.writeSeeds=true -Dtest=NumpyFuzzTest#writeSeeds}. */
    @Test
    @EnabledIfSystemProperty(named = "nnft.fuzz.writeSeeds", matches = "true")
    void writeSeeds() throws IOException {
        Path npy = FuzzFiles.seedDir(Path.of(""), NumpyFuzzTest.class, "readNpy");
        Path npz = FuzzFiles.seedDir(Path.of(""), NumpyFuzzTest.class, "readNpz");
        Files.createDirectories(npy);
        Files.createDirectories(npz);
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        arrays.put("float32_2x2", NdArray.ofFloats(new long[] {2, 2}, new float[] {.1f, .9f, .8f, .2f}));
        arrays.put("int16_3", NdArray.ofShorts(new long[] {3}, new short[] {1, -2, 3}));
        arrays.put("int8_scalar", NdArray.ofBytes(new long[] {}, new byte[] {7}));
        arrays.put("float32_empty", NdArray.ofFloats(new long[] {0, 4}, new float[0]));
        for (Map.Entry<String, NdArray> e : arrays.entrySet()) {
            Npy.write(npy.resolve(e.getKey() + ".npy"), e.getValue());
        }
        // edges: version 2.0 header, a truncated length prefix, a shape far beyond memory
        ByteArrayOutputStream v2 = new ByteArrayOutputStream();
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }\n";
        v2.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0, (byte) dict.length(), 0, 0, 0});
        v2.writeBytes(dict.getBytes(StandardCharsets.ISO_8859_1));
        v2.writeBytes(new byte[4]);
        Files.write(npy.resolve("version2.npy"), v2.toByteArray());
        Files.write(npy.resolve("truncated_length.npy"), new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 5});
        byte[] huge = Npy.header(NdArray.ofFloats(new long[] {1}, new float[1]));
        String h = new String(huge, StandardCharsets.ISO_8859_1).replace("(1,)", "(1099511627776,)");
        Files.write(npy.resolve("shape_2e40.npy"), h.getBytes(StandardCharsets.ISO_8859_1));
        Npz.writeCompressed(npz.resolve("two_arrays.npz"), Map.of("a", arrays.get("float32_2x2"),
                "b", arrays.get("int16_3")));
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(npz.resolve("stored_member.npz")))) {
            zip.putNextEntry(new ZipEntry("seg.npy"));
            Npy.write(zip, arrays.get("int8_scalar"));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("ignored.txt"));
            zip.write('x');
            zip.closeEntry();
        }
    }
}
