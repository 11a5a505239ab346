package io.nnft.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;

/**
 * nnU-Net's InitWeights_He(1e-2): {@code kaiming_normal_(weight, a=neg_slope)}, i.e. normal with
 * std = sqrt(2 / (1 + a²)) / sqrt(fan_in). PyTorch computes fan_in as dim 1 × receptive field for every
 * conv weight, which for a transposed conv's (Cin, Cout, k…) layout is Cout × k… — reproduced here.
 */
public final class HeNormalInitializer implements Initializer {
    private final double negativeSlope;

    public HeNormalInitializer(double negativeSlope) {
        this.negativeSlope = negativeSlope;
    }

    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        if (shape.dimension() < 2) {
            throw new IllegalArgumentException("He init needs a conv weight of >= 2 dims, found shape " + shape);
        }
        long fanIn = shape.get(1);
        for (int d = 2; d < shape.dimension(); d++) {
            fanIn *= shape.get(d);
        }
        double gain = Math.sqrt(2.0 / (1.0 + negativeSlope * negativeSlope));
        float std = (float) (gain / Math.sqrt(fanIn));
        return manager.randomNormal(0f, std, shape, dataType);
    }
}
