package io.nnft.network;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import io.nnft.imageio.NdArray;

import java.util.function.Supplier;

/** Entry points: the PyTorch engine, a freshly initialised network, NdArray ⇄ NDArray. */
public final class Networks {
    public static final String ENGINE = "PyTorch";

    private Networks() {
    }

    public static Engine engine() {
        Engine e = Engine.getEngine(ENGINE);
        if (e == null) {
            throw new IllegalStateException("DJL engine '" + ENGINE + "' not found: pytorch-engine, pytorch-jni and "
                    + "pytorch-native-* must be on the classpath");
        }
        return e;
    }

    /** A PlainConvUNet with nnU-Net's initialisation (He, a = 1e-2; zero biases; norm weight 1), float32. */
    public static PlainConvUNet create(PlainConvUNetConfig config, NDManager manager) {
        PlainConvUNet net = new PlainConvUNet(config);
        long[] anyInput = new long[2 + config.spatialDims()];
        java.util.Arrays.fill(anyInput, 1);
        anyInput[1] = config.inputChannels();
        net.initialize(manager, DataType.FLOAT32, new Shape(anyInput));
        return net;
    }

    /** Copies an npy-style array into the manager (float32 stays float32, integers become int32). */
    public static NDArray toNDArray(NDManager manager, NdArray a) {
        Shape shape = new Shape(a.shape());
        if (a.dtype().isFloatingPoint()) {
            return manager.create(a.toFloats(), shape);
        }
        return manager.create(a.toInts(), shape);
    }

    public static NdArray toNdArray(NDArray a) {
        return StateDict.toNdArray(a);
    }

    /**
     * Runs {@code body} with autograd off on the calling thread, restoring the previous mode. libtorch's grad
     * mode is thread-local and on by default in new threads (DJL only turns it off on the thread that started
     * the engine), so inference on a worker thread would otherwise record a graph for every op.
     */
    public static <T> T noGrad(Supplier<T> body) {
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            return body.get();
        } finally {
            JniUtils.setGradMode(previous);
        }
    }
}
