package io.nnft.network;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.List;

/**
 * torch.nn.Sequential / ModuleList: children named 0, 1, 2… (that index is part of nnU-Net's keys, e.g. the
 * {@code 0} in {@code convs.0.conv.weight}). Forward chains the children; the decoder indexes them instead.
 */
public final class NnSequential extends NnBlock {
    private final List<Block> items = new ArrayList<>();

    public NnSequential add(Block block) {
        addNamedChild(Integer.toString(items.size()), block);
        items.add(block);
        return this;
    }

    public Block get(int index) {
        return items.get(index);
    }

    public int size() {
        return items.size();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDList x = inputs;
        for (Block b : items) {
            x = b.forward(ps, x, training, params);
        }
        return x;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] s = inputShapes;
        for (Block b : items) {
            s = b.getOutputShapes(s);
        }
        return s;
    }
}
