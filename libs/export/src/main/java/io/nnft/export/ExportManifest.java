package io.nnft.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nnft.checkpoint.ModelFolder;
import io.nnft.checkpoint.NnUNetCheckpoint;
import io.nnft.checkpoint.PyValues;
import io.nnft.imageio.NdArray;
import io.nnft.planning.ConfigurationPlan;
import io.nnft.planning.IntensityProperties;
import io.nnft.planning.Plans;
import io.nnft.planning.PlansException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json}: everything needed to use the exported encoder correctly without nnU-Net at hand. The
 * architecture (class and arch_kwargs as in the plans), features and strides per stage (the encoder returns one
 * output per stage, bottleneck last), the inputs it expects (channels, their names, normalization scheme and
 * foreground intensity properties), the geometry of the training data (target spacing, transpose, patch size),
 * the label map, where the weights came from, and the SHA-256 and size of every file.
 */
public final class ExportManifest {
    public static final String FILE = "manifest.json";
    public static final String FORMAT = "nnft-encoder-export/1";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ExportManifest() {
    }

    /** The manifest without its {@code files} section. */
    public static ObjectNode build(NnUNetCheckpoint checkpoint, Map<String, NdArray> encoder, ExportOptions options,
                                   String where) {
        JsonNode datasetJson = PyValues.toJson(checkpoint.datasetJson());
        try {
            Plans plans = Plans.of((ObjectNode) checkpoint.plansJson(), where + " init_args.plans");
            ConfigurationPlan conf = plans.configuration(checkpoint.configuration());
            ObjectNode m = F.objectNode();
            m.put("format", FORMAT);
            m.set("source", source(checkpoint, plans, options));
            m.set("architecture", architecture(conf));
            m.set("encoder", encoder(conf, encoder, where));
            m.set("input", input(plans, conf, datasetJson, encoder, where));
            m.set("preprocessing", preprocessing(plans, conf));
            m.set("labels", datasetJson.path("labels").deepCopy());
            if (datasetJson.has("regions_class_order")) {
                m.set("regions_class_order", datasetJson.get("regions_class_order").deepCopy());
            }
            return m;
        } catch (PlansException e) {
            throw new ExportException(e.getMessage(), e);
        }
    }

    private static ObjectNode source(NnUNetCheckpoint c, Plans plans, ExportOptions options) {
        ObjectNode s = F.objectNode();
        s.put("job", options.sourceJob());
        s.put("checkpoint", options.sourceCheckpoint());
        s.put("trainer_name", c.trainerName());
        s.put("current_epoch", c.currentEpoch());
        s.put("best_ema_pseudo_dice", c.bestEma());
        s.put("dataset_name", plans.datasetName());
        s.put("plans_name", plans.plansName());
        s.put("configuration", c.configuration());
        s.set("fold", PyValues.toJson(c.fold()));
        return s;
    }

    private static ObjectNode architecture(ConfigurationPlan conf) {
        ObjectNode a = F.objectNode();
        a.put("network_class_name", conf.architectureClassName());
        a.set("arch_kwargs", conf.archKwargs());
        ArrayNode imports = a.putArray("_kw_requires_import");
        conf.archKwargsRequiresImport().forEach(imports::add);
        return a;
    }

    private static ObjectNode encoder(ConfigurationPlan conf, Map<String, NdArray> weights, String where) {
        JsonNode kw = conf.archKwargs();
        String kwWhere = where + " init_args.plans.configurations." + conf.name() + ".architecture.arch_kwargs";
        int nStages = kw.path("n_stages").asInt(-1);
        int[] features = ints(kw.path("features_per_stage"), kwWhere + ".features_per_stage");
        int[][] strides = conf.poolOpKernelSizes();
        int[][] kernels = conf.convKernelSizes();
        int[] nConv = ints(kw.path("n_conv_per_stage"), kwWhere + ".n_conv_per_stage");
        if (features.length != nStages || strides.length != nStages || kernels.length != nStages
                || nConv.length != nStages) {
            throw new ExportException(kwWhere + ": expected n_stages=" + nStages + " entries in features_per_stage, "
                    + "strides, kernel_sizes and n_conv_per_stage, found " + features.length + ", " + strides.length
                    + ", " + kernels.length + ", " + nConv.length);
        }
        List<Integer> stagesInWeights = List.copyOf(EncoderWeights.stages(weights));
        if (stagesInWeights.size() != nStages || stagesInWeights.get(nStages - 1) != nStages - 1) {
            throw new ExportException(where + ": expected encoder weights for stages 0.." + (nStages - 1)
                    + " (arch_kwargs.n_stages), found stages " + stagesInWeights);
        }
        int[] patch = conf.patchSize();
        ObjectNode e = F.objectNode();
        e.put("key_prefix", ModelFolder.ENCODER_PREFIX);
        e.put("key_style", "nnU-Net state_dict names, each tensor once: no decoder.encoder.* or *.all_modules.* aliases");
        e.put("dtype", weights.values().iterator().next().dtype().name().toLowerCase(java.util.Locale.ROOT));
        e.put("tensors", weights.size());
        e.put("parameters", EncoderWeights.parameterCount(weights));
        e.put("n_stages", nStages);
        e.put("outputs", "one feature map per stage (the skips), full resolution first, bottleneck last");
        e.set("features_per_stage", intArray(features));
        ArrayNode s = e.putArray("strides");
        for (int[] st : strides) {
            s.add(intArray(st));
        }
        ArrayNode stages = e.putArray("stages");
        int[] total = new int[patch.length];
        java.util.Arrays.fill(total, 1);
        for (int i = 0; i < nStages; i++) {
            long channels = EncoderWeights.outputChannels(weights, i);
            if (channels != features[i]) {
                throw new ExportException(where + ": stage " + i + " of the encoder weights outputs " + channels
                        + " channels, but " + kwWhere + ".features_per_stage[" + i + "] is " + features[i]);
            }
            if (strides[i].length != patch.length) {
                throw new ExportException(kwWhere + ".strides[" + i + "]: expected " + patch.length
                        + " entries (the patch size's dimensions), found " + strides[i].length);
            }
            int[] outShape = new int[patch.length];
            for (int d = 0; d < patch.length; d++) {
                total[d] *= strides[i][d];
                outShape[d] = patch[d] / total[d];
            }
            ObjectNode st = stages.addObject();
            st.put("stage", i);
            st.put("key_prefix", ModelFolder.ENCODER_PREFIX + "stages." + i + ".");
            st.put("features", features[i]);
            st.set("stride", intArray(strides[i]));
            st.set("total_stride", intArray(total.clone()));
            st.set("kernel_size", intArray(kernels[i]));
            st.put("n_conv", nConv[i]);
            st.set("output_shape_for_patch_size", intArray(outShape));
        }
        return e;
    }

    private static ObjectNode input(Plans plans, ConfigurationPlan conf, JsonNode datasetJson,
                                    Map<String, NdArray> weights, String where) {
        JsonNode names = datasetJson.has("channel_names") ? datasetJson.get("channel_names") : datasetJson.path("modality");
        if (!names.isObject() || names.isEmpty()) {
            throw new ExportException(where + " init_args.dataset_json: expected 'channel_names' as {\"0\": name, ...}, found "
                    + names);
        }
        long fromWeights = EncoderWeights.inputChannels(weights);
        if (fromWeights != names.size()) {
            throw new ExportException(where + ": the first conv takes " + fromWeights + " input channels, but dataset.json "
                    + "channel_names lists " + names.size() + " " + names);
        }
        List<String> schemes = conf.normalizationSchemes();
        boolean[] mask = conf.useMaskForNorm();
        if (schemes.size() != names.size() || mask.length != names.size()) {
            throw new ExportException(conf + ": expected normalization_schemes and use_mask_for_norm for "
                    + names.size() + " channels, found " + schemes.size() + " and " + mask.length);
        }
        ObjectNode in = F.objectNode();
        in.put("num_channels", names.size());
        in.set("channel_names", names.deepCopy());
        if (datasetJson.has("file_ending")) {
            in.set("file_ending", datasetJson.get("file_ending").deepCopy());
        }
        ArrayNode channels = in.putArray("channels");
        Iterator<Map.Entry<String, JsonNode>> it = names.fields();
        for (int c = 0; it.hasNext(); c++) {
            Map.Entry<String, JsonNode> n = it.next();
            ObjectNode ch = channels.addObject();
            ch.put("index", c);
            ch.put("key", n.getKey());
            ch.put("name", n.getValue().asText());
            ch.put("normalization_scheme", schemes.get(c));
            ch.put("use_mask_for_norm", mask[c]);
            IntensityProperties p = c < plans.numberOfChannelsWithIntensityProperties()
                    ? plans.foregroundIntensityProperties(c) : null;
            ch.set("intensity_properties", p == null ? F.nullNode() : p.toJson());
        }
        return in;
    }

    private static ObjectNode preprocessing(Plans plans, ConfigurationPlan conf) {
        ObjectNode p = F.objectNode();
        p.put("configuration", conf.name());
        p.set("target_spacing", doubleArray(conf.spacing()));
        p.set("transpose_forward", intArray(plans.transposeForward()));
        p.set("transpose_backward", intArray(plans.transposeBackward()));
        p.set("patch_size", intArray(conf.patchSize()));
        p.put("axes_note", "spacing and patch size are in the transposed (transpose_forward) axis order, as in the plans");
        p.put("preprocessor_name", conf.preprocessorName());
        p.put("resampling_fn_data", conf.resamplingFnData());
        p.set("resampling_fn_data_kwargs", conf.resamplingFnDataKwargs());
        return p;
    }

    private static int[] ints(JsonNode n, String where) {
        if (!n.isArray()) {
            throw new ExportException(where + ": expected a list of ints, found " + n);
        }
        int[] out = new int[n.size()];
        for (int i = 0; i < out.length; i++) {
            if (!n.get(i).canConvertToInt()) {
                throw new ExportException(where + "[" + i + "]: expected an int, found " + n.get(i));
            }
            out[i] = n.get(i).asInt();
        }
        return out;
    }

    private static ArrayNode intArray(int[] v) {
        ArrayNode a = F.arrayNode();
        for (int x : v) {
            a.add(x);
        }
        return a;
    }

    private static ArrayNode doubleArray(double[] v) {
        ArrayNode a = F.arrayNode();
        for (double x : v) {
            a.add(x);
        }
        return a;
    }
}
