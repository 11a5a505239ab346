package io.nnft.network;

import ai.djl.ndarray.NDManager;
import io.nnft.imageio.NdArray;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A NaN batch gives a NaN loss; that step is not applied (weights and momentum untouched), the next one is. */
class TrainStepNonFiniteTest {
    private static final String DIR = "train_step/e_tiny_iso/";

    @Test
    void aNonFiniteStepLeavesWeightsAndMomentumAsTheyWere() throws Exception {
        try (NDManager manager = Networks.engine().newBaseManager()) {
            PlainConvUNet net = Networks.create(Fixtures.tinyConfig(true), manager);
            StateDict.load(net, Fixtures.npz(DIR + "initial.npz"), "initial.npz");
            TrainStep step = new TrainStep(net, DeepSupervisionLoss.nnUNetDefault(3, false, null),
                    NesterovSgd.nnUNetDefault(manager, List.of(ParamGroup.all(1e-2))),
                    TrainStep.NNUNET_MAX_GRAD_NORM, manager);
            NdArray input = Fixtures.npy(DIR + "input.npy");
            NdArray target = Fixtures.npy(DIR + "target.npy");
            assertThat(step.run(input, target).applied()).isTrue();
            Map<String, NdArray> weights = StateDict.exportCanonical(net);
            Map<String, NdArray> momentum = ((NesterovSgd) step.optimizer()).exportMomentumBuffers();

            float[] nan = new float[(int) input.size()];
            Arrays.fill(nan, Float.NaN);
            TrainStep.Result r = step.run(NdArray.ofFloats(input.shape(), nan), target);
            assertThat(r.applied()).isFalse();
            assertThat(r.loss()).isNaN();
            Map<String, NdArray> after = StateDict.exportCanonical(net);
            for (String k : weights.keySet()) {
                assertThat(after.get(k).data()).as(k).isEqualTo(weights.get(k).data());
            }
            Map<String, NdArray> momentumAfter = ((NesterovSgd) step.optimizer()).exportMomentumBuffers();
            for (String k : momentum.keySet()) {
                assertThat(momentumAfter.get(k).data()).as(k).isEqualTo(momentum.get(k).data());
            }

            TrainStep.Result next = step.run(input, target);
            assertThat(next.applied()).isTrue();
            assertThat(next.loss()).isFinite();
            assertThat(StateDict.exportCanonical(net).get("decoder.seg_layers.2.weight").data())
                    .isNotEqualTo(weights.get("decoder.seg_layers.2.weight").data());
        }
    }
}
