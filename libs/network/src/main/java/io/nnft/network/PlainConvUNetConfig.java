package io.nnft.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The constructor arguments of dynamic_network_architectures' {@code PlainConvUNet}, read from a plans
 * configuration's {@code architecture.arch_kwargs}, plus what nnU-Net takes from elsewhere: the number of
 * input channels (dataset.json channel_names) and of segmentation heads (labels incl. background).
 *
 * @param spatialDims    2 for Conv2d, 3 for Conv3d
 * @param kernelSizes    per stage, one entry per spatial axis
 * @param strides        per stage, one entry per spatial axis (stage 0 usually all 1)
 * @param deepSupervision whether the decoder returns one output per decoder stage (training) or only the last
 */
public record PlainConvUNetConfig(
        int inputChannels,
        int nStages,
        int[] featuresPerStage,
        int spatialDims,
        int[][] kernelSizes,
        int[][] strides,
        int[] nConvPerStage,
        int[] nConvPerStageDecoder,
        boolean convBias,
        double normEps,
        boolean normAffine,
        float negativeSlope,
        int numSegmentationHeads,
        boolean deepSupervision) {

    public static final String PLAIN_CONV_UNET = "dynamic_network_architectures.architectures.unet.PlainConvUNet";

    public PlainConvUNetConfig {
        String where = "PlainConvUNet arch_kwargs";
        requireLength(featuresPerStage.length, nStages, where + ".features_per_stage");
        requireLength(kernelSizes.length, nStages, where + ".kernel_sizes");
        requireLength(strides.length, nStages, where + ".strides");
        requireLength(nConvPerStage.length, nStages, where + ".n_conv_per_stage");
        requireLength(nConvPerStageDecoder.length, nStages - 1, where + ".n_conv_per_stage_decoder");
        if (spatialDims != 2 && spatialDims != 3) {
            throw new IllegalArgumentException(where + ": expected 2 or 3 spatial dims, found " + spatialDims);
        }
        for (int s = 0; s < nStages; s++) {
            requireLength(kernelSizes[s].length, spatialDims, where + ".kernel_sizes[" + s + "]");
            requireLength(strides[s].length, spatialDims, where + ".strides[" + s + "]");
        }
        if (inputChannels < 1 || numSegmentationHeads < 1) {
            throw new IllegalArgumentException(where + ": expected >= 1 input channels and segmentation heads, found "
                    + inputChannels + " and " + numSegmentationHeads);
        }
    }

    private static void requireLength(int found, int expected, String where) {
        if (found != expected) {
            throw new IllegalArgumentException(where + ": expected " + expected + " entries, found " + found);
        }
    }

    /** Same network with deep supervision switched on or off (nnU-Net toggles it between training and inference). */
    public PlainConvUNetConfig withDeepSupervision(boolean on) {
        return new PlainConvUNetConfig(inputChannels, nStages, featuresPerStage, spatialDims, kernelSizes, strides,
                nConvPerStage, nConvPerStageDecoder, convBias, normEps, normAffine, negativeSlope,
                numSegmentationHeads, on);
    }

    /** Same topology with other stage widths (e.g. a slim variant for tests). */
    public PlainConvUNetConfig withFeaturesPerStage(int[] features) {
        return new PlainConvUNetConfig(inputChannels, nStages, features, spatialDims, kernelSizes, strides,
                nConvPerStage, nConvPerStageDecoder, convBias, normEps, normAffine, negativeSlope,
                numSegmentationHeads, deepSupervision);
    }

    /**
     * Reads {@code configurations.<configuration>} of a plans.json (following {@code inherits_from}) and
     * builds the config. Input channels come from the configuration's normalization_schemes (one per channel),
     * segmentation heads from the plans' label count given by the caller.
     */
    public static PlainConvUNetConfig fromPlans(Path plansJson, String configuration, int numSegmentationHeads,
                                                boolean deepSupervision) throws IOException {
        return fromPlans(new ObjectMapper().readTree(Files.readAllBytes(plansJson)), configuration, numSegmentationHeads,
                deepSupervision, plansJson.toString());
    }

    /** As {@link #fromPlans(Path, String, int, boolean)} for plans already parsed (e.g. a checkpoint's init_args). */
    public static PlainConvUNetConfig fromPlans(JsonNode plans, String configuration, int numSegmentationHeads,
                                                boolean deepSupervision, String plansJson) {
        JsonNode conf = resolveConfiguration(plans, configuration, plansJson);
        JsonNode schemes = conf.get("normalization_schemes");
        if (schemes == null || !schemes.isArray() || schemes.isEmpty()) {
            throw new IllegalArgumentException(plansJson + ": configuration '" + configuration
                    + "' has no normalization_schemes (needed for the number of input channels)");
        }
        JsonNode arch = conf.path("architecture");
        String cls = arch.path("network_class_name").asText("");
        if (!cls.equals(PLAIN_CONV_UNET)) {
            throw new IllegalArgumentException(plansJson + ": configuration '" + configuration
                    + "' architecture.network_class_name: expected " + PLAIN_CONV_UNET + ", found '" + cls + "'");
        }
        return fromArchKwargs(arch.get("arch_kwargs"), schemes.size(), numSegmentationHeads, deepSupervision,
                plansJson + " configurations." + configuration + ".architecture.arch_kwargs");
    }

    /** The number of segmentation heads nnU-Net derives from plans' or dataset.json's labels: all labels but "ignore". */
    public static int segmentationHeadsFromLabels(JsonNode labels, String where) {
        if (labels == null || !labels.isObject() || labels.isEmpty()) {
            throw new IllegalArgumentException(where + ": expected a non-empty 'labels' object");
        }
        int n = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isArray()) {
                throw new IllegalArgumentException(where + ": region-based labels ('" + e.getKey()
                        + "') are not supported by this trainer");
            }
            if (!e.getKey().equals("ignore")) {
                n++;
            }
        }
        return n;
    }

    static JsonNode resolveConfiguration(JsonNode plans, String configuration, String where) {
        JsonNode all = plans.path("configurations");
        JsonNode conf = all.get(configuration);
        if (conf == null) {
            List<String> names = new ArrayList<>();
            all.fieldNames().forEachRemaining(names::add);
            throw new IllegalArgumentException(where + ": no configuration '" + configuration + "', found " + names);
        }
        JsonNode parentName = conf.get("inherits_from");
        if (parentName == null) {
            return conf;
        }
        com.fasterxml.jackson.databind.node.ObjectNode merged =
                resolveConfiguration(plans, parentName.asText(), where).deepCopy();
        conf.fields().forEachRemaining(e -> merged.set(e.getKey(), e.getValue()));
        return merged;
    }

    public static PlainConvUNetConfig fromArchKwargs(JsonNode kw, int inputChannels, int numSegmentationHeads,
                                                     boolean deepSupervision, String where) {
        if (kw == null || !kw.isObject()) {
            throw new IllegalArgumentException(where + ": expected an arch_kwargs object");
        }
        String convOp = text(kw, "conv_op", where);
        int dims;
        if (convOp.endsWith("Conv3d")) {
            dims = 3;
        } else if (convOp.endsWith("Conv2d")) {
            dims = 2;
        } else {
            throw new IllegalArgumentException(where + ".conv_op: expected torch.nn.modules.conv.Conv2d or Conv3d, found "
                    + convOp);
        }
        String normOp = text(kw, "norm_op", where);
        if (!normOp.endsWith("InstanceNorm" + dims + "d")) {
            throw new IllegalArgumentException(where + ".norm_op: expected InstanceNorm" + dims + "d, found " + normOp);
        }
        if (kw.hasNonNull("dropout_op")) {
            throw new IllegalArgumentException(where + ".dropout_op: expected null (nnU-Net's default), found "
                    + kw.get("dropout_op"));
        }
        String nonlin = text(kw, "nonlin", where);
        if (!nonlin.endsWith("LeakyReLU")) {
            throw new IllegalArgumentException(where + ".nonlin: expected torch.nn.LeakyReLU, found " + nonlin);
        }
        JsonNode normKw = kw.path("norm_op_kwargs");
        double eps = normKw.path("eps").asDouble(1e-5);
        boolean affine = normKw.path("affine").asBoolean(true);
        float slope = (float) kw.path("nonlin_kwargs").path("negative_slope").asDouble(0.01);
        int nStages = kw.path("n_stages").asInt(-1);
        if (nStages < 1) {
            throw new IllegalArgumentException(where + ".n_stages: expected a positive integer, found " + kw.get("n_stages"));
        }
        return new PlainConvUNetConfig(inputChannels, nStages, ints(kw, "features_per_stage", nStages, where), dims,
                perStage(kw, "kernel_sizes", nStages, dims, where), perStage(kw, "strides", nStages, dims, where),
                ints(kw, "n_conv_per_stage", nStages, where), ints(kw, "n_conv_per_stage_decoder", nStages - 1, where),
                kw.path("conv_bias").asBoolean(false), eps, affine, slope, numSegmentationHeads, deepSupervision);
    }

    private static String text(JsonNode kw, String field, String where) {
        JsonNode n = kw.get(field);
        if (n == null || !n.isTextual()) {
            throw new IllegalArgumentException(where + "." + field + ": expected a string, found " + n);
        }
        return n.asText();
    }

    /** A per-stage int list; a scalar is broadcast like nnU-Net's maybe_convert_scalar_to_list. */
    private static int[] ints(JsonNode kw, String field, int n, String where) {
        JsonNode v = kw.get(field);
        if (v != null && v.isInt()) {
            int[] r = new int[n];
            Arrays.fill(r, v.asInt());
            return r;
        }
        if (v == null || !v.isArray()) {
            throw new IllegalArgumentException(where + "." + field + ": expected an int or a list of " + n + " ints, found " + v);
        }
        int[] r = new int[v.size()];
        for (int i = 0; i < r.length; i++) {
            if (!v.get(i).isInt()) {
                throw new IllegalArgumentException(where + "." + field + "[" + i + "]: expected an int, found " + v.get(i));
            }
            r[i] = v.get(i).asInt();
        }
        return r;
    }

    private static int[][] perStage(JsonNode kw, String field, int nStages, int dims, String where) {
        JsonNode v = kw.get(field);
        if (v == null || !v.isArray()) {
            throw new IllegalArgumentException(where + "." + field + ": expected a list of " + nStages + " entries, found " + v);
        }
        int[][] r = new int[v.size()][];
        for (int s = 0; s < r.length; s++) {
            JsonNode e = v.get(s);
            if (e.isInt()) {
                r[s] = new int[dims];
                Arrays.fill(r[s], e.asInt());
            } else {
                r[s] = new int[e.size()];
                for (int d = 0; d < e.size(); d++) {
                    r[s][d] = e.get(d).asInt();
                }
            }
        }
        return r;
    }
}
