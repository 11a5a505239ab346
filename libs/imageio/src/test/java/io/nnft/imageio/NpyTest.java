package io.nnft.imageio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsFloatsAndKeepsHeaderAligned() throws IOException {
        float[] values = {1.5f, -2f, 3.25f, 0f, 7f, 8f};
        NdArray a = NdArray.ofFloats(new long[] {1, 2, 3}, values);
        Path f = dir.resolve("a.npy");
        Npy.write(f, a);
        byte[] bytes = Files.readAllBytes(f);
        assertThat((bytes.length - 24) % 64).isZero();
        NdArray b = Npy.read(f);
        assertThat(b.dtype()).isEqualTo(DType.FLOAT32);
        assertThat(b.shape()).containsExactly(1, 2, 3);
        assertThat(b.toFloats()).containsExactly(values);
    }

    @Test
    void readsNumpysOwnFileFromTheFixtures() throws IOException {
        Path f = Path.of(System.getProperty("nnft.fixtures", "../../../shared/fixtures"),
                "nnunet-ref/checkpoint/e_tiny_iso/input.npy");
        NdArray a = Npy.read(f);
        assertThat(a.shape()).containsExactly(1, 1, 32, 32, 32);
        assertThat(a.dtype()).isEqualTo(DType.FLOAT32);
        assertThat(Arrays.stream(toDoubles(a)).anyMatch(v -> v != 0)).isTrue();
    }

    @Test
    void oneDimensionalShapeUsesPythonsTupleSyntax() {
        String h = new String(Npy.header(NdArray.ofBytes(new long[] {4}, new byte[4])));
        assertThat(h).contains("'shape': (4,)").contains("'descr': '|i1'");
    }

    @Test
    void refusesTruncatedData() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, NdArray.ofShorts(new long[] {10}, new short[10]));
        byte[] cut = Arrays.copyOf(out.toByteArray(), out.size() - 3);
        assertThatThrownBy(() -> Npy.read(new ByteArrayInputStream(cut), "cut.npy"))
                .hasMessageContaining("cut.npy").hasMessageContaining("truncated");
    }

    @Test
    void npzRoundTripsSeveralArrays() throws IOException {
        Path f = dir.resolve("p.npz");
        Npz.writeCompressed(f, java.util.Map.of("probabilities", NdArray.ofFloats(new long[] {2, 2}, new float[] {.1f, .9f, .8f, .2f}),
                "seg", NdArray.ofBytes(new long[] {3}, new byte[] {0, 1, 2})));
        var back = Npz.read(f);
        assertThat(back.keySet()).containsExactlyInAnyOrder("probabilities", "seg");
        assertThat(back.get("probabilities").toFloats()).containsExactly(.1f, .9f, .8f, .2f);
        assertThat(back.get("seg").toInts()).containsExactly(0, 1, 2);
    }

    @Test
    void halfPrecisionConverts() {
        assertThat(NdArray.halfToFloat((short) 0x3c00)).isEqualTo(1f);
        assertThat(NdArray.halfToFloat((short) 0xc000)).isEqualTo(-2f);
        assertThat(NdArray.halfToFloat((short) 0x0001)).isEqualTo(0x1p-24f);
    }

    /** Headers found by NumpyFuzzTest: each is refused with an IOException that names the problem. */
    @Test
    void malformedHeadersAreRefusedWithTheirProblem() {
        byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
        byte[] cutLength = Arrays.copyOf(magic, 9);
        cutLength[6] = 1;
        assertThatThrownBy(() -> Npy.read(new ByteArrayInputStream(cutLength), "cut.npy")).isInstanceOf(IOException.class)
                .hasMessage("cut.npy: truncated npy header: the 2-byte header length of version 1 is cut off after 1 bytes");
        assertThatThrownBy(() -> read("{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }"))
                .isInstanceOf(IOException.class).hasMessageContaining("dim 1 'x' is not an integer");
        assertThatThrownBy(() -> read("{'descr': '<f4', 'fortran_order': False, 'shape': (-5,), }"))
                .isInstanceOf(IOException.class).hasMessageContaining("dim 0 = -5 is negative");
        assertThatThrownBy(() -> read("{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904, 4), }"))
                .isInstanceOf(IOException.class).hasMessageContaining("overflows 64 bits");
        assertThatThrownBy(() -> read("{'descr': ' ', 'fortran_order': False, 'shape': (1,), }"))
                .isInstanceOf(IOException.class).hasMessageContaining("unsupported numpy dtype ' '");
    }

    @Test
    void shapeOfTwoToTheFortyIsRefusedBeforeAllocating() {
        assertThatThrownBy(() -> read("{'descr': '<f4', 'fortran_order': False, 'shape': (1099511627776,), }"))
                .isInstanceOf(IOException.class).hasMessageContaining("array of 4398046511104 bytes is too large");
    }

    @Test
    void npzMemberNameThatIsNotUtf8IsAnIOException() throws Exception {
        // found by NumpyFuzzTest: java.util.zip decodes names lazily and throws IllegalArgumentException
        // ("malformed input") from the entry enumeration
        Path f = Path.of(NpyTest.class.getResource("NumpyFuzzTestInputs/readNpz/regression_member_name_not_utf8.npz").toURI());
        assertThatThrownBy(() -> Npz.read(f)).isInstanceOf(IOException.class)
                .hasMessageContaining("not a readable npz").hasMessageContaining("malformed input");
    }

    private static NdArray read(String dict) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) dict.length(), 0});
        b.writeBytes(dict.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        return Npy.read(new ByteArrayInputStream(b.toByteArray()), "h.npy");
    }

    private static double[] toDoubles(NdArray a) {
        return a.toDoubles();
    }
}
