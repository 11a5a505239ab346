package io.nnft.preprocessing.io;

import io.nnft.imageio.DType;
import io.nnft.imageio.NdArray;
import io.nnft.imageio.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class NpyHeaderTest {
    @Test
    void streamedFloatsAreTheBytesNpyWrites(@TempDir Path tmp) throws IOException {
        float[] c0 = new float[40000];
        float[] c1 = new float[40000];
        for (int i = 0; i < c0.length; i++) {
            c0[i] = i * 0.5f;
            c1[i] = -i;
        }
        long[] shape = {2, 10, 40, 100};
        Path file = tmp.resolve("x.npy");
        CaseWriter.writeFloats(file, shape, new float[][]{c0, c1});
        float[] all = new float[80000];
        System.arraycopy(c0, 0, all, 0, 40000);
        System.arraycopy(c1, 0, all, 40000, 40000);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        Npy.write(expected, NdArray.ofFloats(shape, all));
        assertThat(Files.readAllBytes(file)).isEqualTo(expected.toByteArray());
        assertThat(NpyHeader.of(DType.INT8, new long[]{7}).length % 64).isZero();
    }
}
