package io.nnft.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
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
        System.out.println("conv backward repair: " + ConvBackwardRepair.reason());
        twoSteps();
    }

    /** The repaired convolution path (what a machine with a wrong oneDNN backward-data kernel trains with). */
    @Test
    void twoStepsReproduceLossesAndParametersWithTheConvRepair() throws Exception {
        ConvBackwardRepair.with(true, () -> {
            try {
                twoSteps();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return null;
        });
    }

    /**
     * Step 2's gradient at nnU-Net's own step-1 parameters. In float64 our network, loss and backward reproduce
     * nnU-Net's float64 evaluation (meta.json float64_reference) to 1e-7: the algorithm is exact. In float32 the
     * norm lands ~2e-5 from it, with and without the conv repair and on machines with correct kernels: the weight
     * gradients of the full-resolution convs sum 65536 voxels × batch 2 with cancellation after instance norm, and
     * libtorch 2.7.1's reduction order leaves ~1.7e-4 relative error there (torch 1.13's happened to land 1.7e-8
     * from float64). Float32 rounding legitimately moves that figure, so float32 is held to 5e-5 and float64 to 1e-7.
     */
    @Test
    void gradientAtNnUNetsStep1ParametersEqualsNnUNetsFloat64Reference() throws Exception {
        double[] f64 = lossAndGradNorm(DataType.FLOAT64);
        System.out.printf("at nnU-Net's step-1 parameters, float64: loss %.10f grad norm %.10f%n", f64[0], f64[1]);
        assertThat(f64[0]).as("float64 loss").isCloseTo(0.5413624702652673, org.assertj.core.data.Offset.offset(1e-7));
        assertThat(f64[1]).as("float64 grad norm").isCloseTo(0.9505874344855786, org.assertj.core.data.Offset.offset(1e-7));
        for (boolean repair : new boolean[] {false, true}) {
            double[] f32 = ConvBackwardRepair.with(repair, () -> lossAndGradNorm(DataType.FLOAT32));
            System.out.printf("float32 (repair %s): loss %.9f grad norm %.9f%n", repair, f32[0], f32[1]);
            assertThat(f32[0]).as("float32 loss").isCloseTo(f64[0], org.assertj.core.data.Offset.offset(1e-6));
            assertThat(f32[1]).as("float32 grad norm").isCloseTo(f64[1], org.assertj.core.data.Offset.offset(5e-5));
        }
    }

    /** Loss and total gradient norm of the deep-supervised DC+CE loss at step1.npz, computed in {@code type}. */
    private static double[] lossAndGradNorm(DataType type) {
        try (NDManager m = Networks.engine().newBaseManager()) {
            PlainConvUNet net = new PlainConvUNet(Fixtures.tinyConfig(true));
            net.initialize(m, type, new Shape(1, 1, 1, 1, 1));
            Map<String, NdArray> weights = Fixtures.npz(DIR + "step1.npz");
            Map<String, NamedParameter> params = StateDict.parameters(net);
            for (Map.Entry<String, NamedParameter> e : params.entrySet()) {
                e.getValue().parameter().getArray().set(Networks.toNDArray(m, weights.get(e.getKey())).toType(type, false)
                        .toByteBuffer());
            }
            NDArray x = Networks.toNDArray(m, Fixtures.npy(DIR + "input.npy")).toType(type, false);
            NdArray[] t = DeepSupervision.targets(Fixtures.npy(DIR + "target.npy"),
                    DeepSupervision.scales(net.config().strides()));
            NDArray[] targets = new NDArray[t.length];
            for (int i = 0; i < t.length; i++) {
                targets[i] = Networks.toNDArray(m, t[i]);
            }
            DeepSupervisionLoss loss = DeepSupervisionLoss.nnUNetDefault(3, false, null);
            UsageTrackingParameterStore store = new UsageTrackingParameterStore(m);
            double lossValue;
            try (GradientCollector c = Networks.engine().newGradientCollector()) {
                NDArray l = loss.loss(net.forwardOutputs(store, x, true, loss.wantedOutputs()), targets);
                lossValue = l.toType(DataType.FLOAT64, false).getDouble();
                c.backward(l);
            }
            double squares = 0;
            for (NamedParameter p : params.values()) {
                if (store.wasUsed(p.parameter())) {
                    for (double g : JniUtils.getGradient((PtNDArray) p.parameter().getArray())
                            .toType(DataType.FLOAT64, false).toDoubleArray()) {
                        squares += g * g;
                    }
                }
            }
            return new double[] {lossValue, Math.sqrt(squares)};
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void twoSteps() throws Exception {
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
                // Step 2's float32 norm: see gradientAtNnUNetsStep1ParametersEqualsNnUNetsFloat64Reference for why 5e-5.
                assertThat((double) r.gradNormBeforeClip()).as("grad norm of step %d", s + 1)
                        .isCloseTo(expectedNorm[s], org.assertj.core.data.Offset.offset(s == 0 ? 1e-5 : 5e-5));
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
