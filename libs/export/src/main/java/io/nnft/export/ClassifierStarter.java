package io.nnft.export;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nnft.checkpoint.ModelFolder;
import io.nnft.imageio.NdArray;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The usual recipe for classification on a segmentation encoder: run the encoder, global-average-pool the
 * bottleneck (the last stage's output) over its spatial axes, then one linear layer. The starter holds the
 * encoder's tensors (unchanged, same names) plus {@code head.weight} [classes, bottleneck features] drawn from
 * He's normal initialisation (std = sqrt(2 / fan_in), the family nnU-Net initialises its convs with) and a zero
 * {@code head.bias}. A fixed seed makes the starter reproducible.
 */
public final class ClassifierStarter {
    public static final String FILE = "classifier_starter.safetensors";
    public static final String HEAD_WEIGHT = "head.weight";
    public static final String HEAD_BIAS = "head.bias";

    private final LinkedHashMap<String, NdArray> tensors;
    private final int classes;
    private final int inFeatures;
    private final int pooledStage;
    private final long seed;

    private ClassifierStarter(LinkedHashMap<String, NdArray> tensors, int classes, int inFeatures, int pooledStage,
                              long seed) {
        this.tensors = tensors;
        this.classes = classes;
        this.inFeatures = inFeatures;
        this.pooledStage = pooledStage;
        this.seed = seed;
    }

    /** Encoder + a fresh head on the last stage ({@code bottleneckStage}, {@code bottleneckFeatures} channels). */
    public static ClassifierStarter create(Map<String, NdArray> encoder, int bottleneckStage, int bottleneckFeatures,
                                           int classes, long seed) {
        if (classes < 1) {
            throw new ExportException("classification starter: expected at least 1 class, found " + classes);
        }
        if (bottleneckFeatures < 1) {
            throw new ExportException("classification starter: expected a bottleneck with at least 1 feature, found "
                    + bottleneckFeatures);
        }
        Random random = new Random(seed);
        double std = Math.sqrt(2.0 / bottleneckFeatures);
        float[] w = new float[classes * bottleneckFeatures];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (random.nextGaussian() * std);
        }
        LinkedHashMap<String, NdArray> t = new LinkedHashMap<>(encoder);
        t.put(HEAD_WEIGHT, NdArray.ofFloats(new long[] {classes, bottleneckFeatures}, w));
        t.put(HEAD_BIAS, NdArray.ofFloats(new long[] {classes}, new float[classes]));
        return new ClassifierStarter(t, classes, bottleneckFeatures, bottleneckStage, seed);
    }

    /** Encoder tensors first (nnU-Net names), then {@code head.weight}, {@code head.bias}. */
    public LinkedHashMap<String, NdArray> tensors() {
        return tensors;
    }

    public NdArray headWeight() {
        return tensors.get(HEAD_WEIGHT);
    }

    public NdArray headBias() {
        return tensors.get(HEAD_BIAS);
    }

    /** The manifest's {@code classifier_starter} section (without the file digest, added by the exporter). */
    public ObjectNode manifestSection() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("file", FILE);
        o.put("num_classes", classes);
        o.put("pooling", "global_average");
        o.put("pooled_stage", pooledStage);
        o.put("in_features", inFeatures);
        o.put("encoder_key_prefix", ModelFolder.ENCODER_PREFIX);
        o.put("head_weight_key", HEAD_WEIGHT);
        o.put("head_bias_key", HEAD_BIAS);
        o.put("head_init", "he_normal(std=sqrt(2/in_features)), bias 0");
        o.put("seed", seed);
        o.put("forward", "logits = head.weight @ mean_over_spatial_axes(encoder(x)[" + pooledStage + "]) + head.bias");
        return o;
    }
}
