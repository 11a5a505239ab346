package io.nnft.network;

import io.nnft.imageio.NdArray;
import io.nnft.imageio.Npy;
import io.nnft.imageio.Npz;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;

/** Test resources copied from shared/fixtures/nnunet-ref (see its README). */
final class Fixtures {
    private Fixtures() {
    }

    static Path resource(String relative) {
        try {
            var url = Fixtures.class.getResource("/nnunet-ref/" + relative);
            if (url == null) {
                throw new IllegalStateException("test resource nnunet-ref/" + relative + " missing");
            }
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static NdArray npy(String relative) throws IOException {
        return Npy.read(resource(relative));
    }

    static Map<String, NdArray> npz(String relative) throws IOException {
        return Npz.read(resource(relative));
    }

    /** The slim e_tiny_iso 3d_fullres network of checkpoint/e_tiny_iso (features 4..32, 2 heads). */
    static PlainConvUNetConfig tinyConfig(boolean deepSupervision) throws IOException {
        return PlainConvUNetConfig.fromPlans(resource("checkpoint/e_tiny_iso/plans.json"), "3d_fullres", 2,
                deepSupervision);
    }

    static float maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        }
        float m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
