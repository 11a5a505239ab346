package io.nnft.network;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.nnft.imageio.NdArray;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Frozen parameters get no gradient and stay bit-identical through training steps; the rest trains. */
class FreezingTest {
    private static final String DIR = "train_step/e_tiny_iso/";

    @Test
    void frozenEncoderStaysBitIdenticalNormsKeepTraining() throws Exception {
        try (NDManager manager = Networks.engine().newBaseManager()) {
            PlainConvUNet net = Networks.create(Fixtures.tinyConfig(true), manager);
            Map<String, NdArray> initial = Fixtures.npz(DIR + "initial.npz");
            StateDict.load(net, initial, "initial.npz");
            List<String> frozen = Freezing.applySpec(net, "encoder", true);
            assertThat(frozen).hasSize(16).allMatch(k -> k.startsWith("encoder.") && k.contains(".conv."));

            List<ParameterReport.Row> report = ParameterReport.of(net);
            assertThat(report).hasSize(68);
            assertThat(report).filteredOn(r -> !r.trainable()).extracting(ParameterReport.Row::key)
                    .containsExactlyElementsOf(frozen);
            assertThat(ParameterReport.format(report)).contains("encoder.stages.0.0.convs.0.conv.weight\t[4, 1, 3, 3, 3]\tfalse")
                    .contains("encoder.stages.0.0.convs.0.norm.weight\t[4]\ttrue");

            TrainStep step = new TrainStep(net, DeepSupervisionLoss.nnUNetDefault(3, false, null),
                    NesterovSgd.nnUNetDefault(manager, List.of(ParamGroup.all(1e-2))),
                    TrainStep.NNUNET_MAX_GRAD_NORM, manager);
            for (int s = 0; s < 2; s++) {
                TrainStep.Result r = step.run(Fixtures.npy(DIR + "input.npy"), Fixtures.npy(DIR + "target.npy"));
                assertThat(r.parametersWithoutGradient()).containsAll(frozen).hasSize(frozen.size() + 2);
            }
            Map<String, NdArray> after = StateDict.exportCanonical(net);
            for (String k : frozen) {
                assertThat(after.get(k).data()).as(k).isEqualTo(initial.get(k).data());
                // requires_grad off: libtorch never allocated a gradient for it.
                NamedParameter p = StateDict.parameters(net).get(k);
                assertThat(JniUtils.getGradient((PtNDArray) p.parameter().getArray())).as(k).isNull();
            }
            assertThat(after.get("encoder.stages.0.0.convs.0.norm.weight").data())
                    .isNotEqualTo(initial.get("encoder.stages.0.0.convs.0.norm.weight").data());
            assertThat(after.get("decoder.seg_layers.2.weight").data())
                    .isNotEqualTo(initial.get("decoder.seg_layers.2.weight").data());
            assertThat(((NesterovSgd) step.optimizer()).exportMomentumBuffers()).hasSize(68 - frozen.size() - 2);

            Freezing.unfreezeAll(net);
            assertThat(ParameterReport.of(net)).allMatch(ParameterReport.Row::trainable);
        }
    }

    @Test
    void freezeSpecsAndTheirErrors() throws Exception {
        try (NDManager manager = Networks.engine().newBaseManager()) {
            PlainConvUNet net = Networks.create(Fixtures.tinyConfig(true), manager);
            assertThat(Freezing.applySpec(net, "all-but-seg-head", false)).hasSize(62);
            Freezing.unfreezeAll(net);
            assertThat(Freezing.applySpec(net, "prefixes:decoder.transpconvs.,decoder.stages.0.", false))
                    .hasSize(6 + 8);
            assertThatThrownBy(() -> Freezing.applySpec(net, "prefixes:encoder.stage.9", false))
                    .hasMessageContaining("'encoder.stage.9' matches no parameter");
            assertThatThrownBy(() -> Freezing.applySpec(net, "decoder", false))
                    .hasMessageContaining("expected none, encoder, all-but-seg-head or prefixes:P1,P2, found 'decoder'");
        }
    }

    @Test
    void encoderGroupWithZeroLearningRateLeavesEncoderUntouched() throws Exception {
        try (NDManager manager = Networks.engine().newBaseManager()) {
            PlainConvUNet net = Networks.create(Fixtures.tinyConfig(true), manager);
            Map<String, NdArray> initial = Fixtures.npz(DIR + "initial.npz");
            StateDict.load(net, initial, "initial.npz");
            NesterovSgd sgd = NesterovSgd.nnUNetDefault(manager, List.of(ParamGroup.encoder(0), ParamGroup.all(1e-2)));
            TrainStep step = new TrainStep(net, DeepSupervisionLoss.nnUNetDefault(3, false, null), sgd,
                    TrainStep.NNUNET_MAX_GRAD_NORM, manager);
            TrainStep.Result r = step.run(Fixtures.npy(DIR + "input.npy"), Fixtures.npy(DIR + "target.npy"));
            // Same gradients as the fixture's first step: only the encoder's learning rate differs.
            assertThat((double) r.loss()).isCloseTo(0.5592843294143677, org.assertj.core.data.Offset.offset(1e-5));
            Map<String, NdArray> after = StateDict.exportCanonical(net);
            Map<String, NdArray> nnunetStep1 = Fixtures.npz(DIR + "step1.npz");
            for (String k : initial.keySet()) {
                if (k.startsWith("encoder.")) {
                    assertThat(after.get(k).data()).as(k).isEqualTo(initial.get(k).data());
                } else {
                    assertThat(Fixtures.maxAbsDiff(after.get(k).toFloats(), nnunetStep1.get(k).toFloats())).as(k)
                            .isLessThan(1e-5f);
                }
            }
            assertThat(sgd.exportMomentumBuffers()).containsKey("encoder.stages.0.0.convs.0.conv.weight");
        }
    }
}
