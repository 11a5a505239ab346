package io.nnft.planning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One configuration of nnU-Net's default planner ({@code get_plans_for_configuration}): an initial
 * patch with the aspect ratio of the spacing and the volume of 256³ (2048² in 2d), clipped to the
 * median shape; shrunk axis by axis until the VRAM estimate fits; then the batch size from the
 * remaining headroom, capped so one batch sees at most 5% of the dataset.
 */
final class ConfigurationPlanner {
    static final int BASE_NUM_FEATURES = 32;
    static final int MAX_FEATURES_2D = 512;
    static final int MAX_FEATURES_3D = 320;
    static final double REFERENCE_VAL_3D = 560000000;
    static final double REFERENCE_VAL_2D = 85000000;
    static final double REFERENCE_VAL_CORRESP_GB = 8;
    static final int REFERENCE_BS_2D = 12;
    static final int REFERENCE_BS_3D = 2;
    static final int FEATUREMAP_MIN_EDGE_LENGTH = 4;
    static final int CONVS_PER_STAGE = 2;
    static final int MIN_BATCH_SIZE = 2;
    static final double MAX_DATASET_COVERED = 0.05;
    static final String PLAIN_CONV_UNET = "dynamic_network_architectures.architectures.unet.PlainConvUNet";
    static final String RESAMPLING_FN = "resample_data_or_seg_to_shape";

    private final PlannerInputs in;
    private final PlannerSettings settings;

    ConfigurationPlanner(PlannerInputs in, PlannerSettings settings) {
        this.in = in;
        this.settings = settings;
    }

    /**
     * @param spacing          target spacing of the configuration (transposed)
     * @param medianShapeJson  what to write as median_image_size_in_voxels (floats for fullres/2d, ints for lowres)
     * @param medianShape      the same numbers for the arithmetic
     */
    ObjectNode plan(double[] spacing, ArrayNode medianShapeJson, double[] medianShape, String dataIdentifier,
                    double approximateNVoxelsDataset) {
        int dim = spacing.length;
        for (double s : spacing) {
            if (!(s > 0)) {
                throw new PlansException("spacing must be > 0, found " + java.util.Arrays.toString(spacing));
            }
        }
        int maxFeatures = dim == 2 ? MAX_FEATURES_2D : MAX_FEATURES_3D;

        double[] tmp = new double[dim];
        for (int i = 0; i < dim; i++) {
            tmp[i] = 1 / spacing[i];
        }
        double referenceVolume = dim == 3 ? Math.pow(256, 3) : Math.pow(2048, 2);
        double scale = Math.pow(referenceVolume / NumpyStats.prod(tmp), 1.0 / dim);
        double[] initial = new double[dim];
        for (int i = 0; i < dim; i++) {
            // python's min(int, float) keeps whichever is smaller, the float median included
            initial[i] = Math.min((double) NumpyStats.roundHalfEven(tmp[i] * scale), medianShape[i]);
        }

        NetworkTopology topo = NetworkTopology.compute(spacing, initial, FEATUREMAP_MIN_EDGE_LENGTH);
        int[] patch = topo.patchSize();
        long estimate = estimate(topo, patch, maxFeatures);

        double reference = (dim == 2 ? REFERENCE_VAL_2D : REFERENCE_VAL_3D)
                * (settings.gpuMemoryTargetGb() / REFERENCE_VAL_CORRESP_GB);
        int refBs = dim == 2 ? REFERENCE_BS_2D : REFERENCE_BS_3D;
        int[] divisible = topo.mustBeDivisibleBy();
        while ((double) estimate / refBs * 2 > reference) {
            int axis = axisToReduce(patch, medianShape);
            // subtract, recompute the divisor for the smaller patch and subtract that instead so that no
            // valid size is skipped (256 -> 224, not 192)
            int[] probe = patch.clone();
            probe[axis] -= divisible[axis];
            int[] probeDivisible = NetworkTopology.compute(spacing, probe, FEATUREMAP_MIN_EDGE_LENGTH)
                    .mustBeDivisibleBy();
            patch = patch.clone();
            patch[axis] -= probeDivisible[axis];
            topo = NetworkTopology.compute(spacing, patch, FEATUREMAP_MIN_EDGE_LENGTH);
            patch = topo.patchSize();
            divisible = topo.mustBeDivisibleBy();
            estimate = estimate(topo, patch, maxFeatures);
        }

        long batchSize = NumpyStats.roundHalfEven(reference / estimate * refBs);
        long bs5Percent = NumpyStats.roundHalfEven(approximateNVoxelsDataset * MAX_DATASET_COVERED
                / NumpyStats.prod(patch));
        batchSize = Math.max(Math.min(batchSize, bs5Percent), MIN_BATCH_SIZE);

        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode plan = f.objectNode();
        plan.put("data_identifier", dataIdentifier);
        plan.put("preprocessor_name", settings.preprocessorName());
        plan.put("batch_size", (int) batchSize);
        plan.set("patch_size", ExperimentPlanner.ints(patch));
        plan.set("median_image_size_in_voxels", medianShapeJson);
        ArrayNode sp = plan.putArray("spacing");
        for (double s : spacing) {
            sp.add(s);
        }
        ArrayNode norm = plan.putArray("normalization_schemes");
        ArrayNode mask = plan.putArray("use_mask_for_norm");
        boolean maskUsed = in.fingerprint().medianRelativeSizeAfterCropping() < 3 / 4.0 || in.useMaskForNorm();
        for (String channel : in.channelNames()) {
            NormalizationScheme scheme = NormalizationScheme.forChannelName(channel);
            norm.add(scheme.className());
            mask.add(maskUsed && scheme.leavesPixelsOutsideMaskAtZero());
        }
        plan.put("resampling_fn_data", RESAMPLING_FN);
        plan.put("resampling_fn_seg", RESAMPLING_FN);
        plan.set("resampling_fn_data_kwargs", resamplingKwargs(false, 3));
        plan.set("resampling_fn_seg_kwargs", resamplingKwargs(true, 1));
        plan.put("resampling_fn_probabilities", RESAMPLING_FN);
        plan.set("resampling_fn_probabilities_kwargs", resamplingKwargs(false, 1));
        plan.set("architecture", architecture(topo, maxFeatures, dim));
        return plan;
    }

    /** The axis largest relative to the median shape; among equals the last one (numpy argsort()[-1]). */
    static int axisToReduce(int[] patch, double[] medianShape) {
        int best = 0;
        double bestRatio = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < patch.length; i++) {
            double r = patch[i] / medianShape[i];
            if (r >= bestRatio) {
                bestRatio = r;
                best = i;
            }
        }
        return best;
    }

    private long estimate(NetworkTopology topo, int[] patch, int maxFeatures) {
        int n = topo.numStages();
        return VramEstimate.plainConvUNet(patch, featuresPerStage(n, maxFeatures), topo.poolOpKernelSizes(),
                filled(n, CONVS_PER_STAGE), filled(n - 1, CONVS_PER_STAGE), in.numLabels());
    }

    static int[] featuresPerStage(int stages, int maxFeatures) {
        int[] out = new int[stages];
        for (int i = 0; i < stages; i++) {
            out[i] = (int) Math.min(maxFeatures, (long) BASE_NUM_FEATURES << Math.min(i, 30));
        }
        return out;
    }

    private static ObjectNode resamplingKwargs(boolean isSeg, int order) {
        ObjectNode k = JsonNodeFactory.instance.objectNode();
        k.put("is_seg", isSeg);
        k.put("order", order);
        k.put("order_z", 0);
        k.putNull("force_separate_z");
        return k;
    }

    private static ObjectNode architecture(NetworkTopology topo, int maxFeatures, int dim) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        int n = topo.numStages();
        ObjectNode arch = f.objectNode();
        arch.put("network_class_name", PLAIN_CONV_UNET);
        ObjectNode kw = arch.putObject("arch_kwargs");
        kw.put("n_stages", n);
        kw.set("features_per_stage", ExperimentPlanner.ints(featuresPerStage(n, maxFeatures)));
        kw.put("conv_op", dim == 2 ? "torch.nn.modules.conv.Conv2d" : "torch.nn.modules.conv.Conv3d");
        kw.set("kernel_sizes", matrix(topo.convKernelSizes()));
        kw.set("strides", matrix(topo.poolOpKernelSizes()));
        kw.set("n_conv_per_stage", ExperimentPlanner.ints(filled(n, CONVS_PER_STAGE)));
        kw.set("n_conv_per_stage_decoder", ExperimentPlanner.ints(filled(n - 1, CONVS_PER_STAGE)));
        kw.put("conv_bias", true);
        kw.put("norm_op", dim == 2 ? "torch.nn.modules.instancenorm.InstanceNorm2d"
                : "torch.nn.modules.instancenorm.InstanceNorm3d");
        ObjectNode normKw = kw.putObject("norm_op_kwargs");
        normKw.put("eps", 1e-5);
        normKw.put("affine", true);
        kw.putNull("dropout_op");
        kw.putNull("dropout_op_kwargs");
        kw.put("nonlin", "torch.nn.LeakyReLU");
        kw.putObject("nonlin_kwargs").put("inplace", true);
        ArrayNode req = arch.putArray("_kw_requires_import");
        req.add("conv_op").add("norm_op").add("dropout_op").add("nonlin");
        return arch;
    }

    private static JsonNode matrix(int[][] m) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (int[] row : m) {
            a.add(ExperimentPlanner.ints(row));
        }
        return a;
    }

    private static int[] filled(int n, int v) {
        int[] a = new int[n];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
