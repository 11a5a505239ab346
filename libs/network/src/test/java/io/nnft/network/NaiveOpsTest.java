package io.nnft.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The ops DJL lacks, checked against loop-by-definition references. */
class NaiveOpsTest {
    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    /** out[n, co, d·kd+i, h·kh+j, w·kw+l] = Σ_ci x[n, ci, d, h, w] · W[ci, co, i, j, l] + b[co]. */
    @Test
    void transposedConv3dMatchesDefinition() {
        int n = 2, cin = 3, cout = 4, d = 3, h = 2, w = 4, kd = 2, kh = 3, kw = 1;
        Random r = new Random(1);
        float[] x = random(r, n * cin * d * h * w);
        float[] wt = random(r, cin * cout * kd * kh * kw);
        float[] b = random(r, cout);
        int od = d * kd, oh = h * kh, ow = w * kw;
        float[] expected = new float[n * cout * od * oh * ow];
        for (int in = 0; in < n; in++) {
            for (int co = 0; co < cout; co++) {
                for (int z = 0; z < od; z++) {
                    for (int y = 0; y < oh; y++) {
                        for (int v = 0; v < ow; v++) {
                            double s = b[co];
                            for (int ci = 0; ci < cin; ci++) {
                                s += x[(((in * cin + ci) * d + z / kd) * h + y / kh) * w + v / kw]
                                        * wt[(((ci * cout + co) * kd + z % kd) * kh + y % kh) * kw + v % kw];
                            }
                            expected[(((in * cout + co) * od + z) * oh + y) * ow + v] = (float) s;
                        }
                    }
                }
            }
        }
        try (NDManager m = Networks.engine().newBaseManager()) {
            NDArray out = TransposedConvolution.kernelEqualsStride(m.create(x, new Shape(n, cin, d, h, w)),
                    m.create(wt, new Shape(cin, cout, kd, kh, kw)), m.create(b));
            assertThat(out.getShape()).isEqualTo(new Shape(n, cout, od, oh, ow));
            assertThat(Fixtures.maxAbsDiff(out.toFloatArray(), expected)).isLessThan(1e-5f);
        }
    }

    @Test
    void transposedConv2dMatchesDefinition() {
        int n = 1, cin = 2, cout = 3, h = 3, w = 2, kh = 2, kw = 2;
        Random r = new Random(2);
        float[] x = random(r, n * cin * h * w);
        float[] wt = random(r, cin * cout * kh * kw);
        float[] expected = new float[n * cout * h * kh * w * kw];
        for (int co = 0; co < cout; co++) {
            for (int y = 0; y < h * kh; y++) {
                for (int v = 0; v < w * kw; v++) {
                    double s = 0;
                    for (int ci = 0; ci < cin; ci++) {
                        s += x[(ci * h + y / kh) * w + v / kw] * wt[((ci * cout + co) * kh + y % kh) * kw + v % kw];
                    }
                    expected[(co * h * kh + y) * w * kw + v] = (float) s;
                }
            }
        }
        try (NDManager m = Networks.engine().newBaseManager()) {
            NDArray out = TransposedConvolution.kernelEqualsStride(m.create(x, new Shape(n, cin, h, w)),
                    m.create(wt, new Shape(cin, cout, kh, kw)), null);
            assertThat(out.getShape()).isEqualTo(new Shape(n, cout, h * kh, w * kw));
            assertThat(Fixtures.maxAbsDiff(out.toFloatArray(), expected)).isLessThan(1e-5f);
        }
    }

    /** y = (x − mean) / sqrt(biased var + eps) · γ[c] + β[c], statistics per (sample, channel). */
    @Test
    void instanceNormMatchesDefinitionIn3dAnd2d() {
        for (long[] shape : new long[][] {{2, 3, 4, 5, 6}, {3, 2, 7, 5}}) {
            int n = (int) shape[0], c = (int) shape[1];
            int spatial = 1;
            for (int i = 2; i < shape.length; i++) {
                spatial *= (int) shape[i];
            }
            Random r = new Random(3);
            float[] x = random(r, n * c * spatial);
            for (int i = 0; i < x.length; i++) {
                x[i] = x[i] * 3 + 1.5f;
            }
            float[] g = random(r, c);
            float[] b = random(r, c);
            double eps = 1e-5;
            float[] expected = new float[x.length];
            for (int i = 0; i < n * c; i++) {
                double mean = 0;
                for (int k = 0; k < spatial; k++) {
                    mean += x[i * spatial + k];
                }
                mean /= spatial;
                double var = 0;
                for (int k = 0; k < spatial; k++) {
                    double dv = x[i * spatial + k] - mean;
                    var += dv * dv;
                }
                var /= spatial;
                for (int k = 0; k < spatial; k++) {
                    expected[i * spatial + k] = (float) ((x[i * spatial + k] - mean) / Math.sqrt(var + eps)
                            * g[i % c] + b[i % c]);
                }
            }
            try (NDManager m = Networks.engine().newBaseManager()) {
                NDArray out = InstanceNormalization.instanceNorm(m.create(x, new Shape(shape)), m.create(g),
                        m.create(b), eps);
                assertThat(out.getShape()).isEqualTo(new Shape(shape));
                assertThat(Fixtures.maxAbsDiff(out.toFloatArray(), expected)).isLessThan(2e-5f);
            }
        }
    }

    /** clip_grad_norm_: total norm over all gradients; scale by max/(total+1e-6) only when that is < 1. */
    @Test
    void gradNormClippingMatchesTorchSemantics() {
        try (NDManager m = Networks.engine().newBaseManager()) {
            NDArray a = m.create(new float[] {3, 4});
            NDArray b = m.create(new float[] {12});
            float total = GradientClipping.clipGradNorm(java.util.List.of(a, b), 6.5);
            assertThat(total).isEqualTo(13f);
            float coef = (float) (6.5 / (13 + 1e-6));
            assertThat(a.toFloatArray()).containsExactly(new float[] {3 * coef, 4 * coef},
                    org.assertj.core.data.Offset.offset(1e-6f));
            assertThat(b.toFloatArray()[0]).isCloseTo(12 * coef, org.assertj.core.data.Offset.offset(1e-6f));
            float untouched = GradientClipping.clipGradNorm(java.util.List.of(a), 100);
            assertThat(untouched).isCloseTo(6.5f * 5 / 13, org.assertj.core.data.Offset.offset(1e-5f));
            assertThat(a.toFloatArray()).containsExactly(new float[] {3 * coef, 4 * coef},
                    org.assertj.core.data.Offset.offset(1e-6f));
        }
    }

    @Test
    void polyLrFollowsNnUNet() {
        assertThat(PolyLRSchedule.lr(1e-2, 0, 1000)).isEqualTo(1e-2);
        assertThat(PolyLRSchedule.lr(1e-2, 500, 1000)).isCloseTo(1e-2 * Math.pow(0.5, 0.9),
                org.assertj.core.data.Offset.offset(1e-15));
        ParamGroup enc = ParamGroup.encoder(1e-3);
        ParamGroup rest = ParamGroup.all(1e-2);
        new PolyLRSchedule(10).step(java.util.List.of(enc, rest), 9);
        assertThat(enc.lr()).isCloseTo(1e-3 * Math.pow(0.1, 0.9), org.assertj.core.data.Offset.offset(1e-15));
        assertThat(rest.lr()).isCloseTo(1e-2 * Math.pow(0.1, 0.9), org.assertj.core.data.Offset.offset(1e-15));
    }
}
