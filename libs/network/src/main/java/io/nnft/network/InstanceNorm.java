package io.nnft.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * torch.nn.InstanceNorm2d / InstanceNorm3d as nnU-Net configures it (affine, eps from norm_op_kwargs,
 * no running statistics, so train and eval behave the same). Parameters {@code weight} and {@code bias} (C).
 */
public final class InstanceNorm extends NnBlock {
    private final double eps;
    private final Parameter weight;
    private final Parameter bias;

    public InstanceNorm(int channels, double eps, boolean affine) {
        this.eps = eps;
        if (affine) {
            weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.GAMMA)
                    .optShape(new Shape(channels)).optInitializer(Initializer.ONES).build());
            bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BETA)
                    .optShape(new Shape(channels)).optInitializer(Initializer.ZEROS).build());
        } else {
            weight = null;
            bias = null;
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray g = weight == null ? null : ps.getValue(weight, x.getDevice(), training);
        NDArray b = bias == null ? null : ps.getValue(bias, x.getDevice(), training);
        return new NDList(InstanceNormalization.instanceNorm(x, g, b, eps));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
