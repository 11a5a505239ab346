package io.nnft.network;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** InitWeights_He(1e-2): conv weights N(0, sqrt(2/(1+a²))/sqrt(fan_in)), fan_in from dim 1; biases 0; norm γ=1, β=0. */
class InitializationTest {

    private static double std(float[] v) {
        double s = 0;
        double s2 = 0;
        for (float x : v) {
            s += x;
            s2 += (double) x * x;
        }
        double mean = s / v.length;
        return Math.sqrt(s2 / v.length - mean * mean);
    }

    @Test
    void heInitLikeNnUNet() throws Exception {
        PlainConvUNetConfig full = PlainConvUNetConfig.fromPlans(Fixtures.resource("plans/e_tiny_iso/nnUNetPlans.json"),
                "3d_fullres", 2, false);
        double gain = Math.sqrt(2 / (1 + 1e-4));
        try (NDManager m = Networks.engine().newBaseManager()) {
            Map<String, NamedParameter> p = StateDict.parameters(Networks.create(full, m));
            // conv (Cout=256, Cin=256, 3,3,3): fan_in = 256·27
            float[] conv = p.get("encoder.stages.3.0.convs.1.conv.weight").parameter().getArray().toFloatArray();
            assertThat(std(conv)).isCloseTo(gain / Math.sqrt(256 * 27), within(0.01 * gain / Math.sqrt(256 * 27)));
            // transposed conv (Cin=256, Cout=128, 2,2,2): PyTorch's fan_in is dim 1 → 128·8
            float[] tconv = p.get("decoder.transpconvs.0.weight").parameter().getArray().toFloatArray();
            assertThat(std(tconv)).isCloseTo(gain / Math.sqrt(128 * 8), within(0.02 * gain / Math.sqrt(128 * 8)));
            assertThat(p.get("encoder.stages.3.0.convs.1.conv.bias").parameter().getArray().toFloatArray()).containsOnly(0f);
            assertThat(p.get("decoder.transpconvs.0.bias").parameter().getArray().toFloatArray()).containsOnly(0f);
            assertThat(p.get("decoder.seg_layers.2.bias").parameter().getArray().toFloatArray()).containsOnly(0f);
            assertThat(p.get("encoder.stages.3.0.convs.1.norm.weight").parameter().getArray().toFloatArray()).containsOnly(1f);
            assertThat(p.get("encoder.stages.3.0.convs.1.norm.bias").parameter().getArray().toFloatArray()).containsOnly(0f);
        }
    }
}
