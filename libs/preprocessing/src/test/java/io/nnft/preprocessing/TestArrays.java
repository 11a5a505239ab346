package io.nnft.preprocessing;

import io.nnft.imageio.NdArray;
import io.nnft.imageio.Npy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Loads .npy test resources. */
public final class TestArrays {
    private TestArrays() {
    }

    public static NdArray npy(String resource) {
        try (InputStream in = TestArrays.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return Npy.read(in, resource);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static short[] shorts(NdArray a) {
        int[] v = a.toInts();
        short[] s = new short[v.length];
        for (int i = 0; i < v.length; i++) {
            s[i] = (short) v[i];
        }
        return s;
    }
}
