package io.nnft.network;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A DJL block that knows the PyTorch attribute name of each child ({@code stages}, {@code 0}, {@code convs},
 * {@code conv}, ...). DJL prefixes child names with a counter ({@code 01encoder}); nnU-Net's state-dict keys
 * are rebuilt by walking {@link #namedChildren()} instead of parsing DJL's names.
 *
 * <p>All parameters of these blocks have their shapes fixed at construction (the plans give every channel
 * count), so children are initialised independently of the input shape.
 */
public abstract class NnBlock extends AbstractBlock {
    private final Map<String, Block> named = new LinkedHashMap<>();

    protected final <B extends Block> B addNamedChild(String torchName, B block) {
        if (named.containsKey(torchName)) {
            throw new IllegalStateException("child '" + torchName + "' added twice to " + getClass().getSimpleName());
        }
        named.put(torchName, block);
        return addChildBlock(torchName, block);
    }

    /** A convolution weight of {@code shape}, initialised like nnU-Net's InitWeights_He (a = 1e-2). */
    protected final Parameter addConvWeight(long[] shape) {
        return addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(shape)).optInitializer(new HeNormalInitializer(1e-2)).build());
    }

    /** A convolution bias of {@code channels}, zero like nnU-Net's init leaves it; null without bias. */
    protected final Parameter addConvBias(boolean withBias, long channels) {
        return withBias
                ? addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                        .optShape(new Shape(channels)).optInitializer(Initializer.ZEROS).build())
                : null;
    }

    /** Children in registration order, keyed by their PyTorch attribute name. */
    public Map<String, Block> namedChildren() {
        return Collections.unmodifiableMap(named);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Block child : named.values()) {
            child.initialize(manager, dataType, inputShapes);
        }
    }
}
