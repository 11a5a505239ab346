package io.nnft.network;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;

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
