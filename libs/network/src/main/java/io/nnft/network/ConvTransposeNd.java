package io.nnft.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * torch.nn.ConvTranspose2d / ConvTranspose3d with kernel = stride, as nnU-Net's decoder builds them
 * ({@code decoder.transpconvs.N.weight} (Cin, Cout, k…), {@code .bias} (Cout)).
 */
public final class ConvTransposeNd extends NnBlock {
    private final int outChannels;
    private final int[] stride;
    private final Parameter weight;
    private final Parameter bias;

    public ConvTransposeNd(int inChannels, int outChannels, int[] stride, boolean withBias) {
        this.outChannels = outChannels;
        this.stride = stride.clone();
        long[] wShape = new long[2 + stride.length];
        wShape[0] = inChannels;
        wShape[1] = outChannels;
        for (int d = 0; d < stride.length; d++) {
            wShape[2 + d] = stride[d];
        }
        weight = addConvWeight(wShape);
        bias = addConvBias(withBias, outChannels);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        NDArray b = bias == null ? null : ps.getValue(bias, x.getDevice(), training);
        return new NDList(TransposedConvolution.kernelEqualsStride(x, w, b));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        long[] out = new long[in.dimension()];
        out[0] = in.get(0);
        out[1] = outChannels;
        for (int d = 0; d < stride.length; d++) {
            out[2 + d] = in.get(2 + d) * stride[d];
        }
        return new Shape[] {new Shape(out)};
    }
}
