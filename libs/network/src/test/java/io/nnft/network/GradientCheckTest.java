package io.nnft.network;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Float32 gradients of every op the network trains with, against float64 on this machine. The convolutions run
 * twice: through the engine's own choice ({@link ConvBackwardRepair#active()}) and with the repair forced on, so the
 * repaired path is exercised on machines that do not need it too. A machine with a wrong kernel that the repair
 * does not cover fails here instead of training to NaN.
 */
class GradientCheckTest {
    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = Networks.engine().newBaseManager();
        System.out.println("conv backward repair: " + ConvBackwardRepair.reason());
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static GradientCheck.ConvShape conv(int batch, int cin, int cout, int[] k, int[] s) {
        return new GradientCheck.ConvShape(batch, cin, cout, k, s, "test");
    }

    /** The failing class as measured (channels not a multiple of 16, stride 1 and 2, batch 2), and its neighbours. */
    static Stream<Arguments> convShapes() {
        int[] k3 = {3, 3, 3};
        int[] s1 = {1, 1, 1};
        int[] s2 = {2, 2, 2};
        int[] one = {1, 1, 1};
        return Stream.of(
                conv(2, 4, 4, k3, s1), conv(2, 8, 4, k3, s1), conv(2, 4, 8, k3, s1), conv(2, 16, 8, k3, s1),
                conv(2, 32, 24, k3, s1), conv(2, 32, 8, k3, s1), conv(2, 1, 4, k3, s2), conv(2, 4, 8, k3, s2),
                conv(2, 16, 16, k3, s1), conv(2, 32, 32, k3, s2), conv(1, 4, 4, k3, s1), conv(3, 8, 8, k3, s1),
                // anisotropic stages as in b_prostate_like ([1,3,3] kernels, [1,2,2] strides)
                conv(2, 4, 8, new int[] {1, 3, 3}, new int[] {1, 2, 2}), conv(2, 8, 8, new int[] {1, 3, 3}, s1),
                // 1×1×1 segmentation heads
                conv(2, 4, 2, one, one), conv(2, 32, 3, one, one), conv(2, 8, 1, one, one),
                // 2D configurations
                conv(2, 4, 4, new int[] {3, 3}, new int[] {1, 1}), conv(2, 8, 4, new int[] {3, 3}, new int[] {2, 2}),
                conv(2, 32, 2, new int[] {1, 1}, new int[] {1, 1})
        ).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("convShapes")
    void convolutionAsTheEngineRunsIt(GradientCheck.ConvShape shape) {
        GradientCheck.Outcome o = GradientCheck.conv(manager, shape, ConvBackwardRepair.active(), 11);
        System.out.println(o + "   [unrepaired kernel: " + GradientCheck.conv(manager, shape, false, 11).worstRelError() + "]");
        assertThat(o.ok()).as("%s", o).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("convShapes")
    void convolutionWithTheRepairForced(GradientCheck.ConvShape shape) {
        GradientCheck.Outcome o = GradientCheck.conv(manager, shape, true, 12);
        assertThat(o.ok()).as("%s", o).isTrue();
    }

    @Test
    void everyConvolutionOfTheSlimAndFullWidthPlans() throws Exception {
        PlainConvUNetConfig slim = Fixtures.tinyConfig(true);
        int[] full = slim.featuresPerStage().clone();
        for (int i = 0; i < full.length; i++) {
            full[i] *= 8; // the real e_tiny_iso plan: 32..256
        }
        for (PlainConvUNetConfig c : List.of(slim, slim.withFeaturesPerStage(full))) {
            List<GradientCheck.ConvShape> shapes = GradientCheck.convShapes(c, 2);
            assertThat(shapes).extracting(GradientCheck.ConvShape::role).contains("segmentation head 0", "encoder stage 0");
            for (GradientCheck.ConvShape s : shapes) {
                GradientCheck.Outcome o = GradientCheck.conv(manager, s, ConvBackwardRepair.active(), 3);
                assertThat(o.ok()).as("%s", o).isTrue();
            }
        }
    }

    @Test
    void transposedConvInstanceNormLeakyReluAndLoss() throws Exception {
        List<GradientCheck.Outcome> outcomes = GradientCheck.otherOps(manager, Fixtures.tinyConfig(true), 2, 5);
        assertThat(outcomes).hasSizeGreaterThanOrEqualTo(6);
        for (GradientCheck.Outcome o : outcomes) {
            System.out.println(o);
            assertThat(o.ok()).as("%s", o).isTrue();
        }
        GradientCheck.Outcome anisotropic = GradientCheck.transposedConv(manager, 2, 8, 4, new int[] {1, 2, 2}, 6);
        assertThat(anisotropic.ok()).as("%s", anisotropic).isTrue();
        GradientCheck.Outcome norm2d = GradientCheck.instanceNorm(manager, new Shape(2, 4, 8, 8), 7);
        assertThat(norm2d.ok()).as("%s", norm2d).isTrue();
    }

    /** The check itself must see a wrong gradient: an op whose float32 result is off by 1% fails it. */
    @Test
    void aWrongFloat32ResultFailsTheCheck() {
        GradientCheck.Outcome o = GradientCheck.compare(manager, "scaled", List.of(new Shape(2, 3)), List.of("x"),
                in -> in.get(0).getDataType() == ai.djl.ndarray.types.DataType.FLOAT32 ? in.get(0).mul(1.01f)
                        : in.get(0), 1);
        assertThat(o.ok()).isFalse();
        assertThat(o.worstRelError()).isBetween(0.005, 0.02);
        GradientCheck.Outcome nan = GradientCheck.compare(manager, "nan", List.of(new Shape(2, 3)), List.of("x"),
                in -> in.get(0).getDataType() == ai.djl.ndarray.types.DataType.FLOAT32 ? in.get(0).div(0f).mul(0f)
                        : in.get(0), 1);
        assertThat(nan.ok()).isFalse();
        assertThat(nan.worstRelError()).isNaN();
    }

    /** The repaired convolution gives the same forward values as the plain one and pads only where needed. */
    @Test
    void repairKeepsForwardValues() {
        GradientCheck.ConvShape s = conv(2, 4, 4, new int[] {3, 3, 3}, new int[] {1, 1, 1});
        GradientCheck.Outcome repaired = GradientCheck.conv(manager, s, true, 9);
        GradientCheck.Outcome plain = GradientCheck.conv(manager, s, false, 9);
        assertThat(repaired.worstRelError()).isLessThan(GradientCheck.TOLERANCE);
        System.out.println("repaired " + repaired + " plain " + plain);
    }
}
