package io.nnft.network;

import io.nnft.imageio.NdArray;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * nnU-Net's deep-supervision plumbing: output scales from the strides, loss weights, and the targets for
 * the lower-resolution outputs.
 */
public final class DeepSupervision {
    private DeepSupervision() {
    }

    /**
     * nnUNetTrainer._get_deep_supervision_scales: 1 / cumprod(strides) per stage, the bottleneck dropped.
     * Entry i is the scale of output i (0 = full resolution when stage 0 has stride 1).
     */
    public static double[][] scales(int[][] strides) {
        int dims = strides[0].length;
        double[][] out = new double[strides.length - 1][dims];
        double[] prod = new double[dims];
        Arrays.fill(prod, 1);
        for (int s = 0; s < strides.length - 1; s++) {
            for (int d = 0; d < dims; d++) {
                prod[d] *= strides[s][d];
                out[s][d] = 1.0 / prod[d];
            }
        }
        return out;
    }

    /** nnUNetTrainer._build_loss: 1/2^i, the lowest resolution set to 0, normalised to sum 1. */
    public static double[] weights(int numOutputs) {
        double[] w = new double[numOutputs];
        double sum = 0;
        for (int i = 0; i < numOutputs; i++) {
            w[i] = i == numOutputs - 1 && numOutputs > 1 ? 0 : 1.0 / (1L << i);
            sum += w[i];
        }
        for (int i = 0; i < numOutputs; i++) {
            w[i] /= sum;
        }
        return w;
    }

    /**
     * Downsamples a segmentation (N, C, spatial…) like batchgeneratorsv2's DownsampleSegForDSTransform: per
     * sample, size round(n·scale) per axis (Python rounding), torch interpolate mode 'nearest-exact', i.e.
     * source index min(floor((i + 0.5) · in/out), in − 1) — for factor 2 that is 2i+1, not the [::2] voxel.
     * A scale of all ones returns the input unchanged. The dtype is preserved.
     */
    public static NdArray downsampleNearestExact(NdArray seg, double[] scale) {
        long[] shape = seg.shape();
        int dims = shape.length - 2;
        if (dims < 1 || scale.length != dims) {
            throw new IllegalArgumentException("segmentation " + Arrays.toString(shape) + " (N, C, spatial...) and scale "
                    + Arrays.toString(scale) + " do not match");
        }
        boolean identity = true;
        for (double s : scale) {
            identity &= s == 1.0;
        }
        if (identity) {
            return seg;
        }
        long[] outShape = shape.clone();
        int[][] src = new int[dims][];
        for (int d = 0; d < dims; d++) {
            int in = Math.toIntExact(shape[2 + d]);
            int out = (int) Math.rint(in * scale[d]);
            outShape[2 + d] = out;
            // torch computes the scale and index in float32 (nearest_neighbor_exact_compute_source_index).
            float ratio = (float) in / out;
            src[d] = new int[out];
            for (int i = 0; i < out; i++) {
                src[d][i] = Math.min((int) Math.floor((i + 0.5f) * ratio), in - 1);
            }
        }
        int es = seg.dtype().size();
        long outCount = NdArray.elementCount(outShape);
        ByteBuffer in = seg.data();
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(outCount * es)).order(ByteOrder.LITTLE_ENDIAN);
        long planes = shape[0] * shape[1];
        long inPlane = 1;
        long outPlane = 1;
        for (int d = 0; d < dims; d++) {
            inPlane *= shape[2 + d];
            outPlane *= outShape[2 + d];
        }
        int[] idx = new int[dims];
        byte[] buf = new byte[es];
        for (long p = 0; p < planes; p++) {
            for (long o = 0; o < outPlane; o++) {
                long rem = o;
                for (int d = dims - 1; d >= 0; d--) {
                    idx[d] = (int) (rem % outShape[2 + d]);
                    rem /= outShape[2 + d];
                }
                long srcOffset = 0;
                for (int d = 0; d < dims; d++) {
                    srcOffset = srcOffset * shape[2 + d] + src[d][idx[d]];
                }
                in.position(Math.toIntExact((p * inPlane + srcOffset) * es));
                in.get(buf);
                out.put(buf);
            }
        }
        out.flip();
        return new NdArray(seg.dtype(), outShape, out);
    }

    /** One target per output, full resolution first. */
    public static NdArray[] targets(NdArray seg, double[][] scales) {
        NdArray[] out = new NdArray[scales.length];
        for (int i = 0; i < scales.length; i++) {
            out[i] = downsampleNearestExact(seg, scales[i]);
        }
        return out;
    }
}
