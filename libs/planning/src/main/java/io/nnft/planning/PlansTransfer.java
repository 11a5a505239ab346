package io.nnft.planning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Plans for fine-tuning a pretrained model (what {@code nnUNetv2_move_plans_between_datasets} does):
 * the pretrained plans' architecture and preprocessing, its intensity statistics included (the encoder
 * learned on data normalised with them), renamed to the downstream dataset and plans identifier. Comes
 * with a {@link CompatibilityReport} so an incompatible pair fails before training, not with a shape
 * error deep inside weight loading.
 */
public final class PlansTransfer {
    /** Spacings differing by more than this (relative) are reported. */
    static final double SPACING_WARNING = 0.10;
    /** A downstream mean this many pretrained standard deviations away is reported. */
    static final double MEAN_SHIFT_WARNING_STDS = 0.5;
    /** Downstream standard deviation outside [1/x, x] times the pretrained one is reported. */
    static final double STD_RATIO_WARNING = 2.0;

    private PlansTransfer() {
    }

    /** The transferred plans and the report on the pair; nothing is thrown for an incompatible pair. */
    public record Result(Plans plans, CompatibilityReport report) {
        /** The plans, or {@link IncompatiblePlansException} listing every mismatch. */
        public Plans plansOrThrow() {
            if (!report.compatible()) {
                throw new IncompatiblePlansException(report);
            }
            return plans;
        }
    }

    /**
     * @param pretrained            the pretrained model's plans.json
     * @param pretrainedDatasetJson the pretrained model's dataset.json, or null when not available
     * @param downstream            downstream dataset.json and fingerprint
     * @param plansName             plans identifier for the new plans, null keeps the pretrained one
     * @param configuration         configuration to check, null picks 3d_fullres when present, else the first
     */
    public static Result transfer(Plans pretrained, ObjectNode pretrainedDatasetJson, PlannerInputs downstream,
                                  String plansName, String configuration) {
        String config = configuration != null ? configuration
                : pretrained.hasConfiguration("3d_fullres") ? "3d_fullres" : pretrained.configurationNames().get(0);
        ConfigurationPlan cp = pretrained.configuration(config);
        Plans transferred = rename(pretrained, downstream, plansName);
        return new Result(transferred, report(pretrained, cp, pretrainedDatasetJson, downstream));
    }

    private static Plans rename(Plans pretrained, PlannerInputs downstream, String plansName) {
        ObjectNode tree = pretrained.json();
        String sourceName = pretrained.plansName();
        String target = plansName != null ? plansName : sourceName;
        tree.put("dataset_name", downstream.datasetName());
        if (!target.equals(sourceName)) {
            JsonNode configs = tree.get("configurations");
            configs.fields().forEachRemaining(e -> {
                JsonNode id = e.getValue().get("data_identifier");
                if (id != null && id.isTextual()) {
                    String old = id.asText();
                    String suffix = "_" + e.getKey();
                    // nnU-Net's rule would turn nnUNetPlans_3d_fullres of plans "nnUNetPlans_slim" into
                    // "<target>_nnUNetPlans_3d_fullres"; the planner's own convention <plans>_<config> is kept instead
                    String renamed = old.startsWith(sourceName) ? target + old.substring(sourceName.length())
                            : old.endsWith(suffix) ? target + suffix : target + "_" + old;
                    ((ObjectNode) e.getValue()).put("data_identifier", renamed);
                }
            });
        }
        tree.put("image_reader_writer", downstream.imageReaderWriter());
        tree.put("plans_name", target);
        return Plans.of(tree, target + ".json");
    }

    private static CompatibilityReport report(Plans pretrained, ConfigurationPlan cp, ObjectNode pretrainedDj,
                                              PlannerInputs downstream) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        List<Finding> mismatches = new ArrayList<>();
        List<Finding> warnings = new ArrayList<>();

        // input channels and their normalization
        List<String> schemes = cp.normalizationSchemes();
        boolean[] useMask = cp.useMaskForNorm();
        List<String> pretrainedNames = pretrainedDj == null ? null : channelNames(pretrainedDj);
        List<String> downNames = downstream.channelNames();
        if (schemes.size() != downNames.size()) {
            mismatches.add(new Finding("channel_names", IntNode.valueOf(schemes.size()),
                    IntNode.valueOf(downNames.size()),
                    "the first convolution expects " + schemes.size() + " input channels"));
        }
        List<CompatibilityReport.Channel> channels = new ArrayList<>();
        Fingerprint fp = downstream.fingerprint();
        int n = Math.max(schemes.size(), downNames.size());
        for (int c = 0; c < n; c++) {
            String scheme = c < schemes.size() ? schemes.get(c) : null;
            String downName = c < downNames.size() ? downNames.get(c) : null;
            String downScheme = downName == null ? null : NormalizationScheme.forChannelName(downName).className();
            String preName = pretrainedNames != null && c < pretrainedNames.size() ? pretrainedNames.get(c) : null;
            IntensityProperties kept = c < pretrained.numberOfChannelsWithIntensityProperties()
                    ? pretrained.foregroundIntensityProperties(c) : null;
            IntensityProperties down = c < fp.foregroundIntensityPropertiesPerChannel().size()
                    ? fp.foregroundIntensityPropertiesPerChannel().get(c) : null;
            channels.add(new CompatibilityReport.Channel(c, preName, downName, scheme, downScheme,
                    c < useMask.length ? useMask[c] : null, kept, down));
            if (scheme != null && downScheme != null && !scheme.equals(downScheme)) {
                mismatches.add(new Finding("normalization_schemes[" + c + "]", TextNode.valueOf(scheme),
                        TextNode.valueOf(downScheme), "downstream channel '" + downName
                        + "' would be normalised differently from what the encoder learned on"));
            }
            if (preName != null && downName != null && !preName.equals(downName)) {
                warnings.add(new Finding("channel_names." + c, TextNode.valueOf(preName), TextNode.valueOf(downName),
                        "channel names differ; check the channel order"));
            }
            if (kept != null && down != null) {
                intensityWarnings(c, kept, down, warnings);
            }
        }

        // labels
        Integer preLabels = pretrainedDj != null && pretrainedDj.has("labels") ? pretrainedDj.get("labels").size() : null;
        boolean reinit = preLabels == null || preLabels != downstream.numLabels();
        if (preLabels == null) {
            warnings.add(new Finding("labels", f.nullNode(), IntNode.valueOf(downstream.numLabels()),
                    "pretrained label count unknown (no dataset.json); segmentation heads are re-initialised"));
        } else if (reinit) {
            warnings.add(new Finding("labels", IntNode.valueOf(preLabels), IntNode.valueOf(downstream.numLabels()),
                    "label count differs; segmentation heads are re-initialised"));
        }

        // spacing, in the pretrained axis order
        int[] tf = pretrained.transposeForward();
        ExperimentPlanner downPlanner = new ExperimentPlanner(downstream);
        double[] downTarget3d = ExperimentPlanner.permute(downPlanner.fullresTargetSpacing(), tf);
        double[] kept = cp.spacing();
        double[] downTarget = kept.length == 2 ? Arrays.copyOfRange(downTarget3d, 1, 3) : downTarget3d;
        double maxRel = 0;
        for (int i = 0; i < kept.length; i++) {
            maxRel = Math.max(maxRel, Math.abs(downTarget[i] - kept[i]) / kept[i]);
        }
        if (maxRel > SPACING_WARNING) {
            warnings.add(new Finding("spacing", doubles(kept), doubles(downTarget),
                    String.format("downstream target spacing differs by up to %.0f%%; downstream images are resampled "
                            + "to the pretrained spacing", maxRel * 100)));
        }
        int[] downTf = downPlanner.transpose()[0];
        if (!Arrays.equals(downTf, tf)) {
            warnings.add(new Finding("transpose_forward", ExperimentPlanner.ints(tf), ExperimentPlanner.ints(downTf),
                    "the downstream planner would order the axes differently; the pretrained order is kept"));
        }

        // patch size against the strides
        int[] patch = cp.patchSize();
        int[][] strides = cp.poolOpKernelSizes();
        int[] divisible = new int[patch.length];
        Arrays.fill(divisible, 1);
        boolean archOk = true;
        for (int[] s : strides) {
            if (s.length != patch.length) {
                archOk = false;
                continue;
            }
            for (int i = 0; i < patch.length; i++) {
                divisible[i] *= s[i];
            }
        }
        if (!archOk) {
            mismatches.add(new Finding("architecture.arch_kwargs.strides", matrix(strides),
                    ExperimentPlanner.ints(patch), "strides do not have one entry per patch axis"));
        }
        boolean valid = archOk;
        for (int i = 0; i < patch.length; i++) {
            valid &= patch[i] % divisible[i] == 0;
        }
        if (archOk && !valid) {
            mismatches.add(new Finding("patch_size", ExperimentPlanner.ints(patch), ExperimentPlanner.ints(divisible),
                    "patch size must be divisible by the product of the strides on every axis (downstream value: "
                            + "required divisors); the decoder's transposed convolutions would not line up"));
        }
        double[] downMedian = downstreamMedianShape(fp, tf, kept);
        for (int i = 0; i < patch.length; i++) {
            if (patch[i] > downMedian[i]) {
                warnings.add(new Finding("patch_size[" + i + "]", IntNode.valueOf(patch[i]),
                        f.numberNode(downMedian[i]), "patch larger than the downstream median image; images are padded"));
            }
        }

        return new CompatibilityReport(pretrained.datasetName(), downstream.datasetName(), cp.name(),
                mismatches.isEmpty(), List.copyOf(mismatches), List.copyOf(warnings), List.copyOf(channels),
                new CompatibilityReport.Labels(preLabels, downstream.numLabels(), reinit),
                new CompatibilityReport.Spacing(kept, downTarget, maxRel),
                new CompatibilityReport.Patch(patch, divisible, valid, downMedian));
    }

    private static void intensityWarnings(int c, IntensityProperties kept, IntensityProperties down,
                                          List<Finding> warnings) {
        String key = "foreground_intensity_properties_per_channel." + c;
        if (Math.abs(down.mean() - kept.mean()) > MEAN_SHIFT_WARNING_STDS * kept.std()) {
            warnings.add(new Finding(key + ".mean", JsonNodeFactory.instance.numberNode(kept.mean()),
                    JsonNodeFactory.instance.numberNode(down.mean()),
                    "downstream foreground mean is more than " + MEAN_SHIFT_WARNING_STDS
                            + " pretrained standard deviations away; the pretrained statistics are kept"));
        }
        double ratio = kept.std() == 0 ? Double.POSITIVE_INFINITY : down.std() / kept.std();
        if (ratio > STD_RATIO_WARNING || ratio < 1 / STD_RATIO_WARNING) {
            warnings.add(new Finding(key + ".std", JsonNodeFactory.instance.numberNode(kept.std()),
                    JsonNodeFactory.instance.numberNode(down.std()),
                    "downstream foreground spread differs by more than a factor " + STD_RATIO_WARNING));
        }
    }

    /** Median downstream shape after resampling to the kept spacing, in the pretrained axis order. */
    private static double[] downstreamMedianShape(Fingerprint fp, int[] tf, double[] keptSpacing) {
        double[][] shapes = new double[fp.numberOfCases()][];
        for (int k = 0; k < shapes.length; k++) {
            double[] caseT = ExperimentPlanner.permute(fp.spacings()[k], tf);
            double[] targetT = keptSpacing.length == 2
                    ? new double[]{caseT[0], keptSpacing[0], keptSpacing[1]} : keptSpacing;
            double[] target = new double[3];
            for (int i = 0; i < 3; i++) {
                target[tf[i]] = targetT[i];
            }
            shapes[k] = ExperimentPlanner.computeNewShape(fp.shapesAfterCrop()[k], fp.spacings()[k], target);
        }
        double[] medianT = ExperimentPlanner.permute(NumpyStats.medianColumns(shapes), tf);
        return keptSpacing.length == 2 ? Arrays.copyOfRange(medianT, 1, 3) : medianT;
    }

    private static List<String> channelNames(ObjectNode dj) {
        JsonNode ch = dj.has("channel_names") ? dj.get("channel_names") : dj.get("modality");
        if (ch == null || !ch.isObject()) {
            return null;
        }
        List<String> names = new ArrayList<>();
        ch.fields().forEachRemaining(e -> names.add(e.getValue().asText()));
        return names;
    }

    private static JsonNode doubles(double[] v) {
        var a = JsonNodeFactory.instance.arrayNode();
        for (double x : v) {
            a.add(x);
        }
        return a;
    }

    private static JsonNode matrix(int[][] m) {
        var a = JsonNodeFactory.instance.arrayNode();
        for (int[] row : m) {
            a.add(ExperimentPlanner.ints(row));
        }
        return a;
    }
}
