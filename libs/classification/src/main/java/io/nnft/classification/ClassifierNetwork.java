package io.nnft.classification;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.nnft.imageio.NdArray;
import io.nnft.network.Networks;
import io.nnft.network.NnBlock;
import io.nnft.network.UsageTrackingParameterStore;
import io.nnft.network.PlainConvEncoder;
import io.nnft.network.PlainConvUNetConfig;

import java.util.Arrays;

/**
 * nnU-Net's PlainConvEncoder (state-dict keys {@code encoder.stages...}, exactly as in the U-Net, so a
 * pretrained checkpoint's encoder loads unchanged) under a {@link ClassificationHead} ({@code head.fc.I...}).
 * Forward: (N, C, spatial…) → (N, classes) logits.
 */
public final class ClassifierNetwork extends NnBlock {
    private final PlainConvUNetConfig config;
    private final PlainConvEncoder encoder;
    private final ClassificationHead head;

    public ClassifierNetwork(PlainConvUNetConfig config, HeadSettings head, int classes) {
        this.config = config;
        this.encoder = addNamedChild("encoder", new PlainConvEncoder(config));
        this.head = addNamedChild("head", new ClassificationHead(head, config.featuresPerStage(), classes));
    }

    /** A freshly initialised float32 network (encoder: nnU-Net's He init; head: PyTorch's Linear init). */
    public static ClassifierNetwork create(PlainConvUNetConfig config, HeadSettings head, int classes,
                                           NDManager manager) {
        ClassifierNetwork net = new ClassifierNetwork(config, head, classes);
        long[] anyInput = new long[2 + config.spatialDims()];
        Arrays.fill(anyInput, 1);
        anyInput[1] = config.inputChannels();
        net.initialize(manager, DataType.FLOAT32, new Shape(anyInput));
        return net;
    }

    public NDArray logits(ParameterStore ps, NDArray input, boolean training) {
        return forward(ps, new NDList(input), training).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDList skips = encoder.forward(ps, inputs, training, params);
        return head.forward(ps, skips, training, params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return head.getOutputShapes(inputShapes);
    }

    public PlainConvUNetConfig config() {
        return config;
    }

    public PlainConvEncoder encoder() {
        return encoder;
    }

    public ClassificationHead head() {
        return head;
    }

    /** Softmax probabilities of a batch, autograd and dropout off. */
    public double[][] probabilities(NdArray input, NDManager manager) {
        return Networks.noGrad(() -> {
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                NDArray x = Networks.toNDArray(manager, input);
                NDArray p = logits(new UsageTrackingParameterStore(manager), x, false).softmax(1);
                int n = (int) p.getShape().get(0);
                int c = (int) p.getShape().get(1);
                float[] flat = p.toFloatArray();
                double[][] out = new double[n][c];
                for (int i = 0; i < n; i++) {
                    for (int k = 0; k < c; k++) {
                        out[i][k] = flat[i * c + k];
                    }
                }
                return out;
            }
        });
    }
}
