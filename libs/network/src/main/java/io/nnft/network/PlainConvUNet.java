package io.nnft.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.Arrays;

/**
 * dynamic_network_architectures' PlainConvUNet: {@code encoder} (PlainConvEncoder) + {@code decoder}
 * (UNetDecoder). With deep supervision on, forward returns one output per decoder stage, full resolution
 * first; off, only the full-resolution logits (nnU-Net's inference mode).
 */
public final class PlainConvUNet extends NnBlock {
    private final PlainConvUNetConfig config;
    private final PlainConvEncoder encoder;
    private final UNetDecoder decoder;
    private boolean deepSupervision;

    public PlainConvUNet(PlainConvUNetConfig config) {
        this.config = config;
        this.encoder = addNamedChild("encoder", new PlainConvEncoder(config));
        this.decoder = addNamedChild("decoder", new UNetDecoder(config));
        this.deepSupervision = config.deepSupervision();
    }

    public PlainConvUNetConfig config() {
        return config;
    }

    public PlainConvEncoder encoder() {
        return encoder;
    }

    public UNetDecoder decoder() {
        return decoder;
    }

    public boolean deepSupervision() {
        return deepSupervision;
    }

    /** nnU-Net's set_deep_supervision_enabled: on for training, off for validation/inference. */
    public void setDeepSupervision(boolean on) {
        this.deepSupervision = on;
    }

    /** Number of deep-supervision outputs (= decoder stages). */
    public int numOutputs() {
        return decoder.numOutputs();
    }

    /**
     * Forward evaluating only the outputs flagged in {@code wanted} (0 = full resolution); the training step
     * passes the non-zero deep-supervision weights.
     */
    public NDArray[] forwardOutputs(ParameterStore ps, NDArray input, boolean training, boolean[] wanted) {
        NDList skips = encoder.forward(ps, new NDList(input), training);
        return decoder.forwardOutputs(ps, skips, training, wanted);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        boolean[] wanted = new boolean[decoder.numOutputs()];
        if (deepSupervision) {
            Arrays.fill(wanted, true);
        } else {
            wanted[0] = true;
        }
        NDArray[] out = forwardOutputs(ps, inputs.singletonOrThrow(), training, wanted);
        return deepSupervision ? new NDList(out) : new NDList(out[0]);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] all = decoder.getOutputShapes(encoder.getOutputShapes(inputShapes));
        return deepSupervision ? all : new Shape[] {all[0]};
    }
}
