package io.nnft.network;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * dynamic_network_architectures' PlainConvEncoder with pooling by strided conv: {@code stages.s.0} is the
 * StackedConvBlocks of stage s. Forward returns every stage's output (the skips, bottleneck last), so it can
 * be used on its own, e.g. under a classification head on a pretrained encoder.
 */
public final class PlainConvEncoder extends NnBlock {
    private final PlainConvUNetConfig config;
    private final NnSequential stages;

    public PlainConvEncoder(PlainConvUNetConfig c) {
        this.config = c;
        stages = addNamedChild("stages", new NnSequential());
        int in = c.inputChannels();
        for (int s = 0; s < c.nStages(); s++) {
            // nnU-Net wraps each stage in an nn.Sequential (pooling op first when pool != 'conv'), hence "stages.s.0".
            stages.add(new NnSequential().add(new StackedConvBlocks(c.nConvPerStage()[s], in,
                    c.featuresPerStage()[s], c.kernelSizes()[s], c.strides()[s], c)));
            in = c.featuresPerStage()[s];
        }
    }

    /** @return the skips: one array per stage, full resolution first, bottleneck last */
    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDList skips = new NDList(stages.size());
        NDList x = inputs;
        for (int s = 0; s < stages.size(); s++) {
            x = stages.get(s).forward(ps, x, training, params);
            skips.add(x.singletonOrThrow());
        }
        return skips;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] out = new Shape[stages.size()];
        Shape[] x = inputShapes;
        for (int s = 0; s < stages.size(); s++) {
            x = stages.get(s).getOutputShapes(x);
            out[s] = x[0];
        }
        return out;
    }

    public PlainConvUNetConfig config() {
        return config;
    }
}
