package io.nnft.network;

import ai.djl.ndarray.NDManager;
import io.nnft.imageio.NdArray;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nnU-Net training steps of the slim e_tiny_iso network on train_step/e_tiny_iso (nnU-Net's own loss and
 * torch.optim.SGD): same losses, same deep-supervision targets, same parameters after each step.
 */
class TrainStepFixtureTest {
    private static final String DIR = "train_step/e_tiny_iso/";

    @Test
    void deepSupervisionTargetsEqualNnUNets() throws Exception {
        NdArray target = Fixtures.npy(DIR + "target.npy");
        double[][] scales = DeepSupervision.scales(Fixtures.tinyConfig(true).strides());
        assertThat(scales).hasDimensions(3, 3);
        NdArray[] ours = DeepSupervision.targets(target, scales);
        for (int i = 0; i < 3; i++) {
            NdArray expected = Fixtures.npy(DIR + "target_ds_" + i + ".npy");
            assertThat(ours[i].shape()).as("target_ds_%d shape", i).containsExactly(expected.shape());
            assertThat(ours[i].dtype()).isEqualTo(expected.dtype());
            assertThat(ours[i].toInts()).as("target_ds_%d", i).containsExactly(expected.toInts());
        }
        // The [::2] voxel would differ: nearest-exact takes 2i+1 (guards against a plain stride).
        assertThat(DeepSupervision.weights(3)).containsExactly(2.0 / 3, 1.0 / 3, 0.0);
    }

    @Test
    void twoStepsReproduceLossesAndParameters() throws Exception {
        double[] expectedLoss = {0.5592843294143677, 0.5413624048233032};
        double[] expectedNorm = {0.9494566321372986, 0.9505874514579773};
        try (NDManager manager = Networks.engine().newBaseManager()) {
            PlainConvUNet net = Networks.create(Fixtures.tinyConfig(true), manager);
            Map<String, NdArray> initial = Fixtures.npz(DIR + "initial.npz");
            StateDict.load(net, initial, "initial.npz");
            TrainStep step = new TrainStep(net, DeepSupervisionLoss.nnUNetDefault(3, false, null),
                    NesterovSgd.nnUNetDefault(manager, List.of(ParamGroup.all(1e-2))),
                    TrainStep.NNUNET_MAX_GRAD_NORM, manager);
            NdArray input = Fixtures.npy(DIR + "input.npy");
            NdArray target = Fixtures.npy(DIR + "target.npy");
            int managedAfterStep1 = -1;
            for (int s = 0; s < 2; s++) {
                TrainStep.Result r = step.run(input, target);
                // Temporaries are closed by the step: the model's manager holds only parameters and momentum buffers.
                if (s == 0) {
                    managedAfterStep1 = manager.getManagedArrays().size();
                } else {
                    assertThat(manager.getManagedArrays()).hasSize(managedAfterStep1);
                }
                assertThat((double) r.loss()).as("loss of step %d", s + 1).isCloseTo(expectedLoss[s],
                        org.assertj.core.data.Offset.offset(1e-5));
                assertThat((double) r.gradNormBeforeClip()).as("grad norm of step %d", s + 1)
                        .isCloseTo(expectedNorm[s], org.assertj.core.data.Offset.offset(1e-5));
                assertThat(r.parametersWithoutGradient())
                        .containsExactly("decoder.seg_layers.0.weight", "decoder.seg_layers.0.bias");
                Map<String, NdArray> expected = Fixtures.npz(DIR + "step" + (s + 1) + ".npz");
                Map<String, NdArray> ours = StateDict.exportCanonical(net);
                assertThat(ours.keySet()).containsExactlyElementsOf(expected.keySet());
                float worst = 0;
                String worstKey = "";
                for (String k : expected.keySet()) {
                    float d = Fixtures.maxAbsDiff(ours.get(k).toFloats(), expected.get(k).toFloats());
                    if (d > worst) {
                        worst = d;
                        worstKey = k;
                    }
                }
                System.out.printf("step %d: loss %.9f (nnU-Net %.9f), grad norm %.9f, max |param diff| %.3g at %s%n",
                        s + 1, r.loss(), expectedLoss[s], r.gradNormBeforeClip(), worst, worstKey);
                assertThat(worst).as("max |param - nnU-Net| after step %d at %s", s + 1, worstKey).isLessThan(1e-5f);
                for (String k : List.of("decoder.seg_layers.0.weight", "decoder.seg_layers.0.bias")) {
                    assertThat(ours.get(k).toFloats()).as(k).containsExactly(initial.get(k).toFloats());
                    assertThat(expected.get(k).toFloats()).as(k).containsExactly(initial.get(k).toFloats());
                }
            }
        }
    }
}
