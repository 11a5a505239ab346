package io.nnft.network;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** arch_kwargs → network, for 2D and anisotropic 3D plans; bad plans are refused with the field named. */
class PlainConvUNetConfigTest {
    private static final Path PROSTATE = Fixtures.resource("plans/b_prostate_like/nnUNetPlans.json");

    @Test
    void prostate2dConfigBuildsA7Stage2dNetwork() throws Exception {
        PlainConvUNetConfig c = PlainConvUNetConfig.fromPlans(PROSTATE, "2d", 3, false);
        assertThat(c.spatialDims()).isEqualTo(2);
        assertThat(c.inputChannels()).isEqualTo(2);
        assertThat(c.nStages()).isEqualTo(7);
        PlainConvUNetConfig slim = c.withFeaturesPerStage(new int[] {2, 2, 2, 2, 2, 2, 2});
        try (NDManager m = Networks.engine().newBaseManager()) {
            PlainConvUNet net = Networks.create(slim, m);
            assertThat(StateDict.parameters(net)).containsKey("decoder.transpconvs.5.weight");
            assertThat(StateDict.parameters(net).get("decoder.transpconvs.0.weight").parameter().getShape())
                    .isEqualTo(new Shape(2, 2, 2, 2));
            NDList out = net.forward(new UsageTrackingParameterStore(m), new NDList(m.ones(new Shape(1, 2, 128, 128))), false);
            assertThat(out.singletonOrThrow().getShape()).isEqualTo(new Shape(1, 3, 128, 128));
        }
    }

    @Test
    void prostate3dAnisotropicStridesShapeTheTransposedConvs() throws Exception {
        PlainConvUNetConfig c = PlainConvUNetConfig.fromPlans(PROSTATE, "3d_fullres", 3, true);
        assertThat(c.kernelSizes()[0]).containsExactly(1, 3, 3);
        try (NDManager m = Networks.engine().newBaseManager()) {
            PlainConvUNet net = Networks.create(c.withFeaturesPerStage(new int[] {2, 2, 2, 2, 2, 2, 2}), m);
            assertThat(StateDict.parameters(net).get("decoder.transpconvs.0.weight").parameter().getShape())
                    .isEqualTo(new Shape(2, 2, 1, 2, 2));
            assertThat(StateDict.parameters(net).get("encoder.stages.0.0.convs.0.conv.weight").parameter().getShape())
                    .isEqualTo(new Shape(2, 2, 1, 3, 3));
            assertThat(DeepSupervision.scales(c.strides())[1]).containsExactly(1.0, 0.5, 0.5);
            NDList out = net.forward(new UsageTrackingParameterStore(m), new NDList(m.ones(new Shape(1, 2, 8, 128, 128))), true);
            assertThat(out).hasSize(6);
            assertThat(out.get(0).getShape()).isEqualTo(new Shape(1, 3, 8, 128, 128));
            assertThat(out.get(3).getShape()).isEqualTo(new Shape(1, 3, 4, 16, 16)); // cumulative strides of stages 0..3: (2, 8, 8)
        }
    }

    @Test
    void badArchKwargsNameTheField() throws Exception {
        var kw = (com.fasterxml.jackson.databind.node.ObjectNode) new ObjectMapper().readTree(
                "{\"n_stages\":2,\"features_per_stage\":[4,8],\"conv_op\":\"torch.nn.modules.conv.Conv3d\","
                        + "\"kernel_sizes\":[[3,3,3],[3,3,3]],\"strides\":[[1,1,1],[2,2,2]],\"n_conv_per_stage\":[2,2],"
                        + "\"n_conv_per_stage_decoder\":[2],\"conv_bias\":true,"
                        + "\"norm_op\":\"torch.nn.modules.instancenorm.InstanceNorm3d\",\"nonlin\":\"torch.nn.LeakyReLU\"}");
        assertThat(PlainConvUNetConfig.fromArchKwargs(kw, 1, 2, false, "p").nStages()).isEqualTo(2);
        kw.put("norm_op", "torch.nn.modules.batchnorm.BatchNorm3d");
        assertThatThrownBy(() -> PlainConvUNetConfig.fromArchKwargs(kw, 1, 2, false, "plans.json X"))
                .hasMessage("plans.json X.norm_op: expected InstanceNorm3d, found torch.nn.modules.batchnorm.BatchNorm3d");
        kw.put("norm_op", "torch.nn.modules.instancenorm.InstanceNorm3d");
        kw.putArray("features_per_stage").add(4);
        assertThatThrownBy(() -> PlainConvUNetConfig.fromArchKwargs(kw, 1, 2, false, "p"))
                .hasMessageContaining("features_per_stage: expected 2 entries, found 1");
        assertThatThrownBy(() -> PlainConvUNetConfig.fromPlans(PROSTATE, "3d_lowres", 3, false))
                .hasMessageContaining("no configuration '3d_lowres', found [2d, 3d_fullres]");
    }
}
