package io.nnft.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;

/**
 * torch.nn.Linear: {@code weight} (out, in), {@code bias} (out), both initialised like PyTorch's default
 * (uniform in ±1/√in: kaiming_uniform with a = √5 for the weight, the same bound for the bias).
 */
public final class Linear extends NnBlock {
    private final int in;
    private final int out;
    private final Parameter weight;
    private final Parameter bias;

    public Linear(int in, int out) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("linear layer: expected >= 1 input and output features, found " + in
                    + " and " + out);
        }
        this.in = in;
        this.out = out;
        float bound = (float) (1 / Math.sqrt(in));
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(out, in)).optInitializer(new UniformInitializer(bound)).build());
        bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(out)).optInitializer(new UniformInitializer(bound)).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        NDArray b = ps.getValue(bias, x.getDevice(), training);
        return new NDList(x.matMul(w.transpose()).add(b));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), out)};
    }

    public int in() {
        return in;
    }

    public int out() {
        return out;
    }
}
