package io.nnft.network;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * dynamic_network_architectures' StackedConvBlocks: {@code convs} = n ConvDropoutNormReLU, the first one
 * carrying the stage's stride (strided-conv downsampling), the rest stride 1.
 */
public final class StackedConvBlocks extends NnBlock {
    private final NnSequential convs;

    public StackedConvBlocks(int numConvs, int inChannels, int outChannels, int[] kernel, int[] firstStride,
                             PlainConvUNetConfig c) {
        if (numConvs < 1) {
            throw new IllegalArgumentException("StackedConvBlocks needs >= 1 conv, found " + numConvs);
        }
        int[] one = new int[firstStride.length];
        java.util.Arrays.fill(one, 1);
        convs = addNamedChild("convs", new NnSequential());
        for (int i = 0; i < numConvs; i++) {
            convs.add(new ConvDropoutNormReLU(i == 0 ? inChannels : outChannels, outChannels, kernel,
                    i == 0 ? firstStride : one, c.convBias(), c.normEps(), c.normAffine(), c.negativeSlope()));
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return convs.forward(ps, inputs, training, params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return convs.getOutputShapes(inputShapes);
    }
}
