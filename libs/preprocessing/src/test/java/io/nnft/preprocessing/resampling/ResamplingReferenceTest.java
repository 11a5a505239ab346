package io.nnft.preprocessing.resampling;

import io.nnft.imageio.NdArray;
import io.nnft.preprocessing.Parallel;
import org.junit.jupiter.api.Test;

import java.util.concurrent.ForkJoinPool;

import static io.nnft.preprocessing.TestArrays.npy;
import static io.nnft.preprocessing.TestArrays.shorts;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our resampling against skimage 0.19.3 / scipy 1.10.1 outputs (src/test/python/make_resampling_refs.py):
 * whole-volume resize for orders 3, 1, 0, a 2-d image, nnU-Net's separate-z path for images and
 * segmentations, and resize_segmentation.
 */
class ResamplingReferenceTest {
    private static final ForkJoinPool POOL = new ForkJoinPool(3);

    private static void assertClose(float[] actual, NdArray expected, double tol) {
        double[] e = expected.toDoubles();
        assertThat(actual).hasSize(e.length);
        double worst = 0;
        for (int i = 0; i < e.length; i++) {
            worst = Math.max(worst, Math.abs(actual[i] - e[i]));
        }
        assertThat(worst).as("max abs difference to the reference").isLessThan(tol);
    }

    @Test
    void wholeVolumeResizeMatchesSkimageForOrders310() {
        NdArray in = npy("resampling/vol_in.npy");
        for (int order : new int[]{3, 1, 0}) {
            float[] out = Resize.resize(in.toFloats(), in.intShape(), new int[]{10, 6, 13}, order, Parallel.on(POOL));
            assertClose(out, npy("resampling/vol_order" + order + ".npy"), 2e-6);
        }
    }

    @Test
    void imageResizeMatchesSkimage() {
        NdArray in = npy("resampling/img_in.npy");
        float[] out = Resize.resize(in.toFloats(), in.intShape(), new int[]{20, 11}, 3, Parallel.SEQUENTIAL);
        assertClose(out, npy("resampling/img_order3.npy"), 2e-6);
    }

    @Test
    void separateZImagePathMatchesNnUnet() {
        NdArray in = npy("resampling/aniso_in.npy");
        SeparateZ sep = SeparateZ.decide(null, new double[]{3.5, 1, 1}, new double[]{2.2, 0.8, 1.4});
        assertThat(sep).isEqualTo(new SeparateZ(true, 0));
        float[] out = DefaultResampling.resampleData(in.toFloats(), in.intShape(), new int[]{8, 15, 7}, sep,
                ResamplingKwargs.dataDefaults(), Parallel.on(POOL));
        assertClose(out, npy("resampling/aniso_sepz.npy"), 2e-6);
    }

    @Test
    void segmentationPathsMatchNnUnet() {
        NdArray in = npy("resampling/seg_in.npy");
        int[] newShape = {9, 19, 10};
        short[] whole = DefaultResampling.resampleSeg(shorts(in), in.intShape(), newShape, SeparateZ.NONE,
                ResamplingKwargs.segDefaults(), Parallel.SEQUENTIAL);
        assertThat(whole).containsExactly(shorts(npy("resampling/seg_order1.npy")));
        short[] sep = DefaultResampling.resampleSeg(shorts(in), in.intShape(), newShape, new SeparateZ(true, 0),
                ResamplingKwargs.segDefaults(), Parallel.on(POOL));
        assertThat(sep).containsExactly(shorts(npy("resampling/seg_sepz.npy")));
    }

    @Test
    void separateZDecisionFollowsNnUnet() {
        // isotropic both ways: no separate z
        assertThat(SeparateZ.decide(null, new double[]{1, 1, 1}, new double[]{1.5, 1.5, 1.5})).isEqualTo(SeparateZ.NONE);
        // ratio exactly 3 is not above the threshold
        assertThat(SeparateZ.decide(null, new double[]{3, 1, 1}, new double[]{3, 1, 1})).isEqualTo(SeparateZ.NONE);
        // only the target is anisotropic: its low-res axis
        assertThat(SeparateZ.decide(null, new double[]{1, 1, 1}, new double[]{1, 1, 3.5})).isEqualTo(new SeparateZ(true, 2));
        // two axes share the largest spacing: never separate
        assertThat(SeparateZ.decide(null, new double[]{0.24, 1.25, 1.25}, new double[]{0.24, 1.25, 1.25})).isEqualTo(SeparateZ.NONE);
        assertThat(SeparateZ.decide(false, new double[]{5, 1, 1}, new double[]{5, 1, 1})).isEqualTo(SeparateZ.NONE);
        assertThat(SeparateZ.decide(true, new double[]{1, 2, 1}, new double[]{1, 1, 1})).isEqualTo(new SeparateZ(true, 1));
        assertThat(DefaultResampling.computeNewShape(new int[]{17, 57, 49}, new double[]{3, 0.800000011920929, 0.800000011920929},
                new double[]{2.5, 0.75, 0.75})).containsExactly(20, 61, 52);
    }

    @Test
    void separateZAlongTheLastAxisWithLinearZMatchesNnUnet() {
        NdArray in = npy("resampling/aniso_last_in.npy");
        SeparateZ sep = SeparateZ.decide(null, new double[]{1, 1, 4}, new double[]{0.7, 1.7, 2.5});
        assertThat(sep).isEqualTo(new SeparateZ(true, 2));
        float[] out = DefaultResampling.resampleData(in.toFloats(), in.intShape(), new int[]{15, 7, 8}, sep,
                new ResamplingKwargs(false, 3, 1, null), Parallel.on(POOL));
        assertClose(out, npy("resampling/aniso_last_sepz_orderz1.npy"), 2e-6);

        NdArray seg = npy("resampling/seg_last_in.npy");
        short[] s = DefaultResampling.resampleSeg(shorts(seg), seg.intShape(), new int[]{19, 10, 9}, sep,
                new ResamplingKwargs(true, 1, 1, null), Parallel.on(POOL));
        assertThat(s).containsExactly(shorts(npy("resampling/seg_last_sepz_orderz1.npy")));
    }

    @Test
    void resizeSegmentationOrders0And3MatchBatchgenerators() {
        NdArray in = npy("resampling/seg_in.npy");
        int[] newShape = {9, 19, 10};
        for (int order : new int[]{0, 3}) {
            short[] out = DefaultResampling.resampleSeg(shorts(in), in.intShape(), newShape, SeparateZ.NONE,
                    new ResamplingKwargs(true, order, 0, false), Parallel.on(POOL));
            assertThat(out).as("order " + order).containsExactly(shorts(npy("resampling/seg_order" + order + ".npy")));
        }
    }
}
