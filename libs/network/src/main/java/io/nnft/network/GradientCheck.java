package io.nnft.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * Float32 forward and gradients of the network's ops compared with float64 on this machine and device.
 *
 * <p>Why float64: libtorch computes float64 convolutions with its own kernels (oneDNN is float32/bf16 only), so a
 * wrong vectorised float32 kernel — the failure seen on some cloud VMs — shows up as a difference far above
 * float32 rounding. Each check draws a random input and a random cotangent g, and compares y and
 * ∂Σ(y·g)/∂input for every differentiable input, relative to that tensor's largest float64 magnitude. Float32
 * accumulation keeps the error near 1e-6; a wrong kernel is off by O(1) or NaN. {@link #TOLERANCE} sits between.
 */
public final class GradientCheck {
    public static final double TOLERANCE = 1e-3;

    private GradientCheck() {
    }

    /** One op at one shape: what was compared and the worst relative difference found. */
    public record Outcome(String name, double worstRelError, String worstTensor) {
        public boolean ok() {
            return worstRelError <= TOLERANCE; // false for NaN as well
        }

        @Override
        public String toString() {
            return String.format("%s: %s %.2e (%s)", name, ok() ? "ok" : "WRONG", worstRelError, worstTensor);
        }
    }

    /** A convolution as a plan uses it: the input gradient is wanted (as for every conv past the first). */
    public record ConvShape(int batch, int inChannels, int outChannels, int[] kernel, int[] stride, String role) {
        @Override
        public String toString() {
            return String.format("%s conv %d→%d k%s s%s batch %d", role, inChannels, outChannels,
                    Arrays.toString(kernel), Arrays.toString(stride), batch);
        }

        /** Small but ≥ 4 output voxels per axis, so every kernel tap reaches real data. */
        long[] inputShape() {
            long[] s = new long[2 + kernel.length];
            s[0] = batch;
            s[1] = inChannels;
            for (int d = 0; d < kernel.length; d++) {
                s[2 + d] = (long) stride[d] * Math.max(4, kernel[d] + 1);
            }
            return s;
        }

        private boolean sameAs(ConvShape o) {
            return batch == o.batch && inChannels == o.inChannels && outChannels == o.outChannels
                    && Arrays.equals(kernel, o.kernel) && Arrays.equals(stride, o.stride);
        }
    }

    /** Every distinct convolution of the network at the plan's batch size (encoder, decoder, 1×1 segmentation heads). */
    public static List<ConvShape> convShapes(PlainConvUNetConfig c, int batch) {
        List<ConvShape> all = new ArrayList<>();
        int[] one = new int[c.spatialDims()];
        Arrays.fill(one, 1);
        int[] f = c.featuresPerStage();
        int in = c.inputChannels();
        for (int s = 0; s < c.nStages(); s++) {
            for (int i = 0; i < c.nConvPerStage()[s]; i++) {
                all.add(new ConvShape(batch, i == 0 ? in : f[s], f[s], c.kernelSizes()[s], i == 0 ? c.strides()[s] : one,
                        "encoder stage " + s));
            }
            in = f[s];
        }
        for (int s = c.nStages() - 2; s >= 0; s--) {
            for (int i = 0; i < c.nConvPerStageDecoder()[s]; i++) {
                all.add(new ConvShape(batch, i == 0 ? 2 * f[s] : f[s], f[s], c.kernelSizes()[s], one,
                        "decoder stage " + s));
            }
            all.add(new ConvShape(batch, f[s], c.numSegmentationHeads(), one, one, "segmentation head " + s));
        }
        List<ConvShape> distinct = new ArrayList<>();
        for (ConvShape cs : all) {
            if (distinct.stream().noneMatch(cs::sameAs)) {
                distinct.add(cs);
            }
        }
        return distinct;
    }

    public static Outcome conv(NDManager m, ConvShape c, boolean repair, long seed) {
        long[] w = new long[2 + c.kernel().length];
        w[0] = c.outChannels();
        w[1] = c.inChannels();
        long[] p = new long[c.kernel().length];
        long[] st = new long[c.kernel().length];
        for (int d = 0; d < c.kernel().length; d++) {
            w[2 + d] = c.kernel()[d];
            p[d] = (c.kernel()[d] - 1) / 2;
            st[d] = c.stride()[d];
        }
        Shape stride = new Shape(st);
        Shape padding = new Shape(p);
        return compare(m, c + (repair ? " (repaired)" : ""),
                List.of(new Shape(c.inputShape()), new Shape(w), new Shape(c.outChannels())),
                List.of("input", "weight", "bias"),
                in -> Convolution.forward(in.get(0), in.get(1), in.get(2), stride, padding, repair), seed);
    }

    /** nnU-Net's decoder upsampling (kernel = stride). */
    public static Outcome transposedConv(NDManager m, int batch, int cin, int cout, int[] stride, long seed) {
        long[] x = new long[2 + stride.length];
        long[] w = new long[2 + stride.length];
        x[0] = batch;
        x[1] = cin;
        w[0] = cin;
        w[1] = cout;
        for (int d = 0; d < stride.length; d++) {
            x[2 + d] = 4;
            w[2 + d] = stride[d];
        }
        return compare(m, String.format("transposed conv %d→%d s%s batch %d", cin, cout, Arrays.toString(stride), batch),
                List.of(new Shape(x), new Shape(w), new Shape(cout)), List.of("input", "weight", "bias"),
                in -> TransposedConvolution.kernelEqualsStride(in.get(0), in.get(1), in.get(2)), seed);
    }

    public static Outcome instanceNorm(NDManager m, Shape x, long seed) {
        long c = x.get(1);
        return compare(m, "instance norm " + x, List.of(x, new Shape(c), new Shape(c)), List.of("input", "weight", "bias"),
                in -> InstanceNormalization.instanceNorm(in.get(0), in.get(1), in.get(2), 1e-5), seed);
    }

    public static Outcome leakyRelu(NDManager m, Shape x, long seed) {
        return compare(m, "LeakyReLU(0.01) " + x, List.of(x), List.of("input"),
                in -> Activation.leakyRelu(in.get(0), 0.01f), seed);
    }

    /** nnU-Net's DC+CE loss on random logits and a random label map with {@code classes} labels. */
    public static Outcome diceCe(NDManager m, Shape logits, boolean batchDice, long seed) {
        long[] t = logits.getShape().clone();
        t[1] = 1;
        Random r = new Random(seed ^ 0x7A7A);
        int[] labels = new int[(int) new Shape(t).size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = r.nextInt((int) logits.get(1));
        }
        NDArray target = m.create(labels, new Shape(t));
        DiceCeLoss loss = DiceCeLoss.nnUNetDefault(batchDice, null);
        return compare(m, "DC+CE " + logits + (batchDice ? " batch dice" : ""), List.of(logits), List.of("logits"),
                in -> loss.loss(in.get(0), target), seed);
    }

    /** The op suite at the plan's sizes: transposed convs, instance norm, LeakyReLU and the loss. */
    public static List<Outcome> otherOps(NDManager m, PlainConvUNetConfig c, int batch, long seed) {
        List<Outcome> out = new ArrayList<>();
        int[] f = c.featuresPerStage();
        Set<String> seen = new LinkedHashSet<>();
        for (int s = c.nStages() - 1; s >= 1; s--) {
            if (seen.add(f[s] + ">" + f[s - 1] + Arrays.toString(c.strides()[s]))) {
                out.add(transposedConv(m, batch, f[s], f[s - 1], c.strides()[s], seed + s));
            }
        }
        long[] spatial = new long[2 + c.spatialDims()];
        Arrays.fill(spatial, 6);
        spatial[0] = batch;
        spatial[1] = f[0];
        out.add(instanceNorm(m, new Shape(spatial), seed));
        out.add(leakyRelu(m, new Shape(spatial), seed));
        spatial[1] = c.numSegmentationHeads();
        out.add(diceCe(m, new Shape(spatial), false, seed));
        out.add(diceCe(m, new Shape(spatial), true, seed));
        return out;
    }

    /**
     * Runs {@code op} on random float32 inputs and on their float64 copies and compares output and gradients.
     *
     * @param op must compute in the dtype of its inputs
     */
    public static Outcome compare(NDManager parent, String name, List<Shape> shapes, List<String> names,
                                  Function<NDList, NDArray> op, long seed) {
        try (NDManager m = parent.newSubManager()) {
            Random r = new Random(seed);
            List<float[]> values = new ArrayList<>();
            for (Shape s : shapes) {
                values.add(gaussian(r, s.size()));
            }
            Run single = run(m, shapes, values, op, DataType.FLOAT32, r.nextLong());
            Run reference = run(m, shapes, values, op, DataType.FLOAT64, single.cotangentSeed);
            double worst = relError(single.output, reference.output);
            String where = "output";
            for (int i = 0; i < shapes.size(); i++) {
                double e = relError(single.gradients[i], reference.gradients[i]);
                if (!(e <= worst)) { // NaN wins
                    worst = e;
                    where = "∂/∂" + names.get(i);
                }
            }
            return new Outcome(name, worst, where);
        }
    }

    private record Run(double[] output, double[][] gradients, long cotangentSeed) {
    }

    private static Run run(NDManager m, List<Shape> shapes, List<float[]> values, Function<NDList, NDArray> op,
                           DataType type, long cotangentSeed) {
        NDList inputs = new NDList();
        for (int i = 0; i < shapes.size(); i++) {
            NDArray a = m.create(values.get(i), shapes.get(i)).toType(type, true);
            a.setRequiresGradient(true);
            inputs.add(a);
        }
        double[] y;
        // Autograd without a GradientCollector: DJL allows one per JVM, and the check must also run while a
        // training step holds it (the repair's probe is decided at the first training forward).
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
        try {
            NDArray out = op.apply(inputs);
            NDArray g = m.create(gaussian(new Random(cotangentSeed), out.getShape().size()), out.getShape())
                    .toType(type, true);
            NDArray objective = out.mul(g).sum();
            JniUtils.backward((PtNDArray) objective, (PtNDArray) m.ones(objective.getShape(), type), false, false);
            y = toDoubles(out);
        } finally {
            JniUtils.setGradMode(gradMode);
        }
        double[][] grads = new double[shapes.size()][];
        for (int i = 0; i < shapes.size(); i++) {
            grads[i] = toDoubles(inputs.get(i).getGradient());
        }
        return new Run(y, grads, cotangentSeed);
    }

    private static double[] toDoubles(NDArray a) {
        return a.toType(DataType.FLOAT64, false).toDoubleArray();
    }

    /** max |a − ref| / max |ref|; NaN when a is not finite. */
    static double relError(double[] a, double[] ref) {
        double scale = 0;
        double diff = 0;
        for (int i = 0; i < ref.length; i++) {
            if (!Double.isFinite(a[i])) {
                return Double.NaN;
            }
            scale = Math.max(scale, Math.abs(ref[i]));
            diff = Math.max(diff, Math.abs(a[i] - ref[i]));
        }
        return scale == 0 ? diff : diff / scale;
    }

    private static float[] gaussian(Random r, long n) {
        float[] a = new float[Math.toIntExact(n)];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }
}
