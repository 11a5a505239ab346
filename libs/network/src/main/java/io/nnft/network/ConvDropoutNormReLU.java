package io.nnft.network;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * dynamic_network_architectures' ConvDropoutNormReLU: conv → InstanceNorm → LeakyReLU (nnU-Net's plans have
 * no dropout). Children {@code conv} and {@code norm}; nnU-Net also registers them as {@code all_modules.0/1},
 * aliases that {@link StateDict} reproduces on export.
 */
public final class ConvDropoutNormReLU extends NnBlock {
    private final ConvNd conv;
    private final InstanceNorm norm;
    private final float negativeSlope;

    public ConvDropoutNormReLU(int inChannels, int outChannels, int[] kernel, int[] stride, boolean convBias,
                               double normEps, boolean normAffine, float negativeSlope) {
        this.conv = addNamedChild("conv", new ConvNd(inChannels, outChannels, kernel, stride, convBias));
        this.norm = addNamedChild("norm", new InstanceNorm(outChannels, normEps, normAffine));
        this.negativeSlope = negativeSlope;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDList x = norm.forward(ps, conv.forward(ps, inputs, training, params), training, params);
        return new NDList(Activation.leakyRelu(x.singletonOrThrow(), negativeSlope));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return conv.getOutputShapes(inputShapes);
    }

    public ConvNd conv() {
        return conv;
    }

    public InstanceNorm norm() {
        return norm;
    }
}
