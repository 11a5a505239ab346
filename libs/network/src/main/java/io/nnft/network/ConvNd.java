package io.nnft.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.Arrays;

/**
 * torch.nn.Conv2d / Conv3d with nnU-Net's "same" padding ((k-1)/2), dilation 1, one group. Parameters
 * {@code weight} (Cout, Cin, k…) and optional {@code bias} (Cout), He-initialised like nnU-Net.
 */
public final class ConvNd extends NnBlock {
    private final int inChannels;
    private final int outChannels;
    private final Shape kernel;
    private final Shape stride;
    private final Shape padding;
    private final Parameter weight;
    private final Parameter bias;

    public ConvNd(int inChannels, int outChannels, int[] kernel, int[] stride, boolean withBias) {
        if (kernel.length != stride.length) {
            throw new IllegalArgumentException("conv kernel " + Arrays.toString(kernel) + " and stride "
                    + Arrays.toString(stride) + " differ in rank");
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        long[] k = new long[kernel.length];
        long[] s = new long[kernel.length];
        long[] p = new long[kernel.length];
        for (int d = 0; d < kernel.length; d++) {
            k[d] = kernel[d];
            s[d] = stride[d];
            p[d] = (kernel[d] - 1) / 2;
        }
        this.kernel = new Shape(k);
        this.stride = new Shape(s);
        this.padding = new Shape(p);
        long[] wShape = new long[2 + k.length];
        wShape[0] = outChannels;
        wShape[1] = inChannels;
        System.arraycopy(k, 0, wShape, 2, k.length);
        weight = addConvWeight(wShape);
        bias = addConvBias(withBias, outChannels);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        // DJL's PyTorch convolution needs a bias tensor; zeros are the same as none.
        NDArray b = bias == null ? x.getManager().zeros(new Shape(outChannels), x.getDataType(), x.getDevice())
                : ps.getValue(bias, x.getDevice(), training);
        return new NDList(Convolution.forward(x, w, b, stride, padding, training && ConvBackwardRepair.active()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        long[] out = new long[in.dimension()];
        out[0] = in.get(0);
        out[1] = outChannels;
        for (int d = 0; d < kernel.dimension(); d++) {
            long n = in.get(2 + d);
            out[2 + d] = (n + 2 * padding.get(d) - kernel.get(d)) / stride.get(d) + 1;
        }
        return new Shape[] {new Shape(out)};
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }
}
