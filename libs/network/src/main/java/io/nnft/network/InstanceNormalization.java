package io.nnft.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Instance normalisation as torch.nn.functional.instance_norm computes it without running statistics:
 * the input is viewed as (1, N·C, …) and batch-normalised with batch statistics (biased variance), the
 * affine weight and bias repeated N times. This is literally what PyTorch does internally, so forward and
 * backward match nnU-Net's InstanceNorm3d bit for bit in structure, not just mathematically.
 */
public final class InstanceNormalization {
    private InstanceNormalization() {
    }

    /**
     * @param x     (N, C, spatial…)
     * @param gamma (C) or null for no affine scale
     * @param beta  (C) or null for no affine shift
     */
    public static NDArray instanceNorm(NDArray x, NDArray gamma, NDArray beta, double eps) {
        Shape shape = x.getShape();
        if (shape.dimension() < 3) {
            throw new IllegalArgumentException("instance norm expects (N, C, spatial...), found " + shape);
        }
        long n = shape.get(0);
        long c = shape.get(1);
        long[] folded = shape.getShape().clone();
        folded[0] = 1;
        folded[1] = n * c;
        NDManager m = x.getManager();
        Shape nc = new Shape(n * c);
        NDArray g = gamma == null ? m.ones(nc, x.getDataType(), x.getDevice()) : gamma.tile(n);
        NDArray b = beta == null ? m.zeros(nc, x.getDataType(), x.getDevice()) : beta.tile(n);
        // Running statistics are required by the op's signature but unused afterwards (training=true).
        NDArray runningMean = m.zeros(nc, x.getDataType(), x.getDevice());
        NDArray runningVar = m.ones(nc, x.getDataType(), x.getDevice());
        NDArray y = x.getNDArrayInternal().batchNorm(x.reshape(folded), runningMean, runningVar, g, b, 1, 0.1f,
                (float) eps, true).singletonOrThrow();
        return y.reshape(shape);
    }
}
