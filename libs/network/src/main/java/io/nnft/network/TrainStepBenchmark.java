package io.nnft.network;

import ai.djl.ndarray.NDManager;
import io.nnft.imageio.NdArray;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Times {@link TrainStep} (forward + loss + backward + clip + SGD step) on random data of a plan's batch and
 * patch size: median wall time per iteration after warm-up.
 */
public final class TrainStepBenchmark {
    private TrainStepBenchmark() {
    }

    /**
     * @param medianCpuMs median process CPU time per iteration (all threads): steadier than wall time on a
     *                    shared machine, and comparable with a PyTorch run at the same thread count
     */
    public record Result(double medianMs, double[] iterationMs, double medianCpuMs, long parameters,
                         long trainableParameters, int frozenTensors) {
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    public static Result run(PlainConvUNetConfig config, int batchSize, int[] patchSize, String freezeSpec,
                             boolean keepNormTrainable, int warmup, int iterations, long seed) {
        if (patchSize.length != config.spatialDims()) {
            throw new IllegalArgumentException("patch size " + Arrays.toString(patchSize) + " has "
                    + patchSize.length + " axes, the network " + config.spatialDims());
        }
        if (iterations < 1 || warmup < 0 || batchSize < 1) {
            throw new IllegalArgumentException("expected iterations >= 1, warm-up >= 0, batch >= 1; found "
                    + iterations + ", " + warmup + ", " + batchSize);
        }
        long[] inShape = new long[2 + patchSize.length];
        long[] segShape = new long[2 + patchSize.length];
        inShape[0] = batchSize;
        segShape[0] = batchSize;
        inShape[1] = config.inputChannels();
        segShape[1] = 1;
        int voxels = batchSize;
        for (int d = 0; d < patchSize.length; d++) {
            inShape[2 + d] = patchSize[d];
            segShape[2 + d] = patchSize[d];
            voxels *= patchSize[d];
        }
        Random r = new Random(seed);
        float[] x = new float[voxels * config.inputChannels()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        short[] seg = new short[voxels];
        for (int i = 0; i < seg.length; i++) {
            seg[i] = (short) r.nextInt(config.numSegmentationHeads());
        }
        NdArray input = NdArray.ofFloats(inShape, x);
        NdArray target = NdArray.ofShorts(segShape, seg);
        try (NDManager manager = Networks.engine().newBaseManager()) {
            PlainConvUNet net = Networks.create(config.withDeepSupervision(true), manager);
            int frozen = Freezing.applySpec(net, freezeSpec, keepNormTrainable).size();
            TrainStep step = new TrainStep(net,
                    DeepSupervisionLoss.nnUNetDefault(net.numOutputs(), false, null),
                    NesterovSgd.nnUNetDefault(manager, List.of(ParamGroup.all(1e-2))),
                    TrainStep.NNUNET_MAX_GRAD_NORM, manager);
            NdArray[] targets = DeepSupervision.targets(target, DeepSupervision.scales(config.strides()));
            for (int i = 0; i < warmup; i++) {
                step.run(input, targets);
            }
            double[] ms = new double[iterations];
            double[] cpu = new double[iterations];
            for (int i = 0; i < iterations; i++) {
                long c0 = processCpuNanos();
                long t0 = System.nanoTime();
                step.run(input, targets);
                ms[i] = (System.nanoTime() - t0) / 1e6;
                cpu[i] = (processCpuNanos() - c0) / 1e6;
            }
            long total = 0;
            long trainable = 0;
            for (ParameterReport.Row row : ParameterReport.of(net)) {
                total += row.count();
                trainable += row.trainable() ? row.count() : 0;
            }
            return new Result(median(ms), ms, median(cpu), total, trainable, frozen);
        }
    }
}
