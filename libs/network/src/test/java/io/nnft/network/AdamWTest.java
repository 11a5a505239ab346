package io.nnft.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.nnft.checkpoint.OptimizerState;
import io.nnft.network.NamedParameter;
import io.nnft.network.Networks;
import io.nnft.network.ParamGroup;
import io.nnft.network.StateDict;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** torch.optim.AdamW, two steps by hand (lr 0.1, betas 0.9/0.999, eps 1e-8, weight decay 0.01). */
class AdamWTest {

    @Test
    void twoStepsMatchTorchsFormulaByHand() {
        try (NDManager m = Networks.engine().newBaseManager()) {
            Linear layer = new Linear(1, 1);
            layer.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 1));
            LinkedHashMap<String, NamedParameter> params = StateDict.parameters(layer);
            NamedParameter w = params.get("weight");
            NamedParameter b = params.get("bias");
            w.parameter().getArray().set(new float[] {1.0f});
            b.parameter().getArray().set(new float[] {-2.0f});
            AdamW adam = new AdamW(m, List.of(ParamGroup.all(0.1)), 0.9, 0.999, 1e-8, 0.01);

            // step 1, g = 0.5: p = 1·(1 − 0.001) = 0.999; m = 0.05; v = 0.00025; m̂ = 0.5, √v̂ = 0.5
            // p = 0.999 − 0.1 · 0.05 / 0.1 / (0.5 + 1e-8) = 0.899 (+2e-9)
            adam.step(params, Map.of("weight", m.create(new float[] {0.5f}, new Shape(1, 1))));
            assertThat(w.parameter().getArray().toFloatArray()[0]).isCloseTo(0.899f, within(1e-6f));
            assertThat(b.parameter().getArray().toFloatArray()[0]).as("no gradient: untouched (no decay)").isEqualTo(-2.0f);

            // step 2, g = −0.2: p = 0.899 · 0.999 = 0.898101; m = 0.9·0.05 − 0.02 = 0.025;
            // v = 0.999·0.00025 + 0.001·0.04 = 0.00028975; bc1 = 0.19, bc2 = 0.001999
            // denom = √0.00028975 / √0.001999 + 1e-8 = 0.0170220445 / 0.0447101778 = 0.380720
            // p = 0.898101 − (0.1 / 0.19) · 0.025 / 0.380720 = 0.898101 − 0.0345604 = 0.8635406
            adam.step(params, Map.of("weight", m.create(new float[] {-0.2f}, new Shape(1, 1))));
            double denom = Math.sqrt(0.00028975) / Math.sqrt(0.001999) + 1e-8;
            double expected = 0.898101 - (0.1 / 0.19) * 0.025 / denom;
            assertThat(expected).isCloseTo(0.8635406, within(1e-6));
            assertThat((double) w.parameter().getArray().toFloatArray()[0]).isCloseTo(expected, within(2e-6));

            // the state round-trips in torch's layout
            List<NamedParameter> order = new ArrayList<>(params.values());
            OptimizerState st = adam.state(order);
            assertThat(st.state()).containsOnlyKeys(0);
            assertThat(st.state().get(0)).containsEntry(AdamW.STEP, 2.0);
            assertThat(((io.nnft.imageio.NdArray) st.state().get(0).get(AdamW.EXP_AVG)).toFloats()[0])
                    .isCloseTo(0.025f, within(1e-7f));
            assertThat(st.paramGroups().get(0).entries()).containsKeys("lr", "betas", "eps", "weight_decay", "amsgrad",
                    "initial_lr", "params");
            AdamW restored = new AdamW(m, List.of(ParamGroup.all(0.1)), 0.9, 0.999, 1e-8, 0.01);
            restored.restore(st, order, "test");
            NDArray before = w.parameter().getArray().duplicate();
            adam.step(params, Map.of("weight", m.create(new float[] {0.3f}, new Shape(1, 1))));
            float viaOriginal = w.parameter().getArray().toFloatArray()[0];
            w.parameter().getArray().set(before.toFloatArray());
            restored.step(params, Map.of("weight", m.create(new float[] {0.3f}, new Shape(1, 1))));
            assertThat(w.parameter().getArray().toFloatArray()[0]).isEqualTo(viaOriginal);
        }
    }
}
