package io.nnft.classification;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.nnft.network.Linear;
import io.nnft.network.NnBlock;
import io.nnft.network.NnSequential;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The head on the encoder's skips: global pooling (avg or max over the spatial axes) of the bottleneck and of
 * the {@code skips} stages, concatenated (bottleneck first, then skips in the given order), then for each
 * linear layer dropout → linear, ReLU between layers. PyTorch equivalent: {@code fc = ModuleList(Linear...)},
 * state-dict keys {@code fc.I.weight} / {@code fc.I.bias}, the last layer giving one logit per class.
 */
public final class ClassificationHead extends NnBlock {
    private final HeadSettings settings;
    private final int[] pooledStages;
    private final int inFeatures;
    private final List<Linear> layers = new ArrayList<>();

    /** @param featuresPerStage the encoder's widths (bottleneck last) */
    public ClassificationHead(HeadSettings settings, int[] featuresPerStage, int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("classification head: expected >= 2 classes, found " + classes);
        }
        int bottleneck = featuresPerStage.length - 1;
        for (int s : settings.skips()) {
            if (s >= bottleneck) {
                throw new IllegalArgumentException("head skips: stage " + s + " is not a skip of this encoder (stages 0.."
                        + (bottleneck - 1) + "; the bottleneck " + bottleneck + " is always pooled)");
            }
        }
        this.settings = settings;
        this.pooledStages = new int[1 + settings.skips().size()];
        pooledStages[0] = bottleneck;
        int f = featuresPerStage[bottleneck];
        for (int i = 0; i < settings.skips().size(); i++) {
            pooledStages[i + 1] = settings.skips().get(i);
            f += featuresPerStage[settings.skips().get(i)];
        }
        this.inFeatures = f;
        NnSequential fc = addNamedChild("fc", new NnSequential());
        int in = f;
        for (int width : settings.hiddenUnits()) {
            Linear l = new Linear(in, width);
            fc.add(l);
            layers.add(l);
            in = width;
        }
        Linear last = new Linear(in, classes);
        fc.add(last);
        layers.add(last);
    }

    /** @param skips the encoder's outputs, full resolution first, bottleneck last */
    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList skips, boolean training,
                                     PairList<String, Object> params) {
        NDList pooled = new NDList(pooledStages.length);
        for (int s : pooledStages) {
            pooled.add(pool(skips.get(s)));
        }
        NDArray x = pooled.size() == 1 ? pooled.get(0) : NDArrays.concat(pooled, 1);
        for (int i = 0; i < layers.size(); i++) {
            if (settings.dropout() > 0) {
                x = Dropout.dropout(x, (float) settings.dropout(), training).singletonOrThrow();
            }
            x = layers.get(i).forward(ps, new NDList(x), training, params).singletonOrThrow();
            if (i < layers.size() - 1) {
                x = Activation.relu(x);
            }
        }
        return new NDList(x);
    }

    private NDArray pool(NDArray x) {
        // libtorch's mean/max in DJL take one axis: flatten the spatial axes first
        NDArray flat = x.reshape(x.getShape().get(0), x.getShape().get(1), -1);
        return settings.pooling() == HeadSettings.Pooling.AVG ? flat.mean(new int[] {2}) : flat.max(new int[] {2});
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), layers.get(layers.size() - 1).out())};
    }

    public int inFeatures() {
        return inFeatures;
    }

    public int[] pooledStages() {
        return pooledStages.clone();
    }

    /** Key (relative to the head) → shape, e.g. fc.0.weight → [classes, inFeatures]. */
    public Map<String, long[]> shapes() {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            out.put("fc." + i + ".weight", new long[] {layers.get(i).out(), layers.get(i).in()});
            out.put("fc." + i + ".bias", new long[] {layers.get(i).out()});
        }
        return out;
    }

    @Override
    public String toString() {
        return "ClassificationHead(pool " + settings.pooling().jsonName() + " of stages " + Arrays.toString(pooledStages)
                + ", " + inFeatures + " features, layers " + shapes().size() / 2 + ")";
    }
}
