package io.nnft.planning;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * nnU-Net v2's default {@code ExperimentPlanner} (PlainConvUNet) from {@code dataset.json} and
 * {@code dataset_fingerprint.json}: target spacing, transpose, 2d / 3d_fullres / 3d_lowres /
 * 3d_cascade_fullres configurations, written key for key like nnU-Net's {@code nnUNetPlans.json}.
 */
public final class ExperimentPlanner {
    static final double ANISO_THRESHOLD = 3;
    static final double LOWRES_CREATION_THRESHOLD = 0.25;
    static final double SPACING_INCREASE_FACTOR = 1.03;

    private final PlannerInputs in;
    private final PlannerSettings settings;
    private final ConfigurationPlanner configurationPlanner;

    public ExperimentPlanner(PlannerInputs inputs, PlannerSettings settings) {
        this.in = inputs;
        this.settings = settings;
        this.configurationPlanner = new ConfigurationPlanner(inputs, settings);
    }

    public ExperimentPlanner(PlannerInputs inputs) {
        this(inputs, PlannerSettings.defaults());
    }

    /**
     * Median spacing, except for strongly anisotropic data (one axis coarser than 3x the others and with
     * fewer than a third of their voxels): there the coarse axis takes the 10th percentile of its
     * spacings, but never finer than the other axes.
     */
    public double[] fullresTargetSpacing() {
        if (settings.overwriteTargetSpacing() != null) {
            return settings.overwriteTargetSpacing().clone();
        }
        double[][] spacings = in.fingerprint().spacings();
        double[] target = NumpyStats.percentileColumns(spacings, 50);
        double[] targetSize = NumpyStats.percentileColumns(toDouble(in.fingerprint().shapesAfterCrop()), 50);
        int worst = argmax(target);
        double maxOtherSpacing = Double.NEGATIVE_INFINITY;
        double minOtherSize = Double.POSITIVE_INFINITY;
        for (int i = 0; i < target.length; i++) {
            if (i != worst) {
                maxOtherSpacing = Math.max(maxOtherSpacing, target[i]);
                minOtherSize = Math.min(minOtherSize, targetSize[i]);
            }
        }
        boolean anisoSpacing = target[worst] > ANISO_THRESHOLD * maxOtherSpacing;
        boolean anisoVoxels = targetSize[worst] * ANISO_THRESHOLD < minOtherSize;
        if (anisoSpacing && anisoVoxels) {
            double[] axis = new double[spacings.length];
            for (int i = 0; i < spacings.length; i++) {
                axis[i] = spacings[i][worst];
            }
            double t = NumpyStats.percentile(axis, 10);
            if (t < maxOtherSpacing) {
                t = Math.max(maxOtherSpacing, t) + 1e-5;
            }
            target[worst] = t;
        }
        return target;
    }

    /** The coarsest axis goes first (out-of-plane for 2d). */
    public int[][] transpose() {
        if (settings.suppressTranspose()) {
            return new int[][]{{0, 1, 2}, {0, 1, 2}};
        }
        double[] target = fullresTargetSpacing();
        int maxAxis = argmax(target);
        int[] forward = new int[3];
        forward[0] = maxAxis;
        int k = 1;
        for (int i = 0; i < 3; i++) {
            if (i != maxAxis) {
                forward[k++] = i;
            }
        }
        int[] backward = new int[3];
        for (int i = 0; i < 3; i++) {
            backward[forward[i]] = i;
        }
        return new int[][]{forward, backward};
    }

    public Plans plan() {
        int[][] tr = transpose();
        int[] forward = tr[0];
        double[] fullresSpacing = fullresTargetSpacing();
        double[] fullresSpacingT = permute(fullresSpacing, forward);

        Fingerprint fp = in.fingerprint();
        double[][] newShapes = new double[fp.numberOfCases()][];
        for (int i = 0; i < newShapes.length; i++) {
            newShapes[i] = computeNewShape(fp.shapesAfterCrop()[i], fp.spacings()[i], fullresSpacing);
        }
        double[] newMedianShapeT = permute(NumpyStats.medianColumns(newShapes), forward);
        double approxVoxelsDataset = NumpyStats.prod(newMedianShapeT) * in.numTraining();

        ObjectNode fullres = null;
        ObjectNode lowres = null;
        if (newMedianShapeT[0] != 1) {
            fullres = configurationPlanner.plan(fullresSpacingT, toJsonNumbers(newMedianShapeT),
                    newMedianShapeT, dataIdentifier("3d_fullres"), approxVoxelsDataset);
            lowres = planLowres(fullres, fullresSpacingT, newMedianShapeT);
            if (lowres != null) {
                lowres.put("batch_dice", false);
                fullres.put("batch_dice", true);
            } else {
                fullres.put("batch_dice", false);
            }
        }
        double[] shape2d = slice1(newMedianShapeT);
        ObjectNode plan2d = configurationPlanner.plan(slice1(fullresSpacingT), toJsonNumbers(shape2d), shape2d,
                dataIdentifier("2d"), approxVoxelsDataset);
        plan2d.put("batch_dice", true);

        double[] medianSpacing = permute(NumpyStats.medianColumns(fp.spacings()), forward);
        double[] medianShape = permute(NumpyStats.medianColumns(toDouble(fp.shapesAfterCrop())), forward);

        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode plans = f.objectNode();
        plans.put("dataset_name", in.datasetName());
        plans.put("plans_name", settings.plansName());
        ArrayNode ms = plans.putArray("original_median_spacing_after_transp");
        for (double v : medianSpacing) {
            ms.add(v);
        }
        ArrayNode msh = plans.putArray("original_median_shape_after_transp");
        for (double v : medianShape) {
            msh.add(NumpyStats.roundHalfEven(v));
        }
        plans.put("image_reader_writer", in.imageReaderWriter());
        plans.set("transpose_forward", ints(forward));
        plans.set("transpose_backward", ints(tr[1]));
        ObjectNode configs = plans.putObject("configurations");
        configs.set("2d", plan2d);
        plans.put("experiment_planner_used", "ExperimentPlanner");
        plans.put("label_manager", "LabelManager");
        ObjectNode fg = plans.putObject("foreground_intensity_properties_per_channel");
        List<IntensityProperties> props = fp.foregroundIntensityPropertiesPerChannel();
        for (int c = 0; c < props.size(); c++) {
            fg.set(Integer.toString(c), props.get(c).toJson());
        }
        if (lowres != null) {
            configs.set("3d_lowres", lowres);
            if (fullres != null) {
                lowres.put("next_stage", "3d_cascade_fullres");
            }
        }
        if (fullres != null) {
            configs.set("3d_fullres", fullres);
            if (lowres != null) {
                ObjectNode cascade = configs.putObject("3d_cascade_fullres");
                cascade.put("inherits_from", "3d_fullres");
                cascade.put("previous_stage", "3d_lowres");
            }
        }
        return Plans.of(plans, settings.plansName() + ".json");
    }

    /**
     * Increase the spacing (anisotropic axes first, 3% a step) until the fullres patch covers at least a
     * quarter of the median image; dropped when the low resolution image is not at least half the size.
     */
    private ObjectNode planLowres(ObjectNode fullres, double[] fullresSpacingT, double[] newMedianShapeT) {
        int[] fullresPatch = Json.ints(fullres, "patch_size", "3d_fullres");
        double medianNumVoxels = NumpyStats.prod(newMedianShapeT);
        double voxelsInPatch = NumpyStats.prod(fullresPatch);
        ObjectNode lowres = null;
        double[] lowresSpacing = fullresSpacingT.clone();
        while (voxelsInPatch / medianNumVoxels < LOWRES_CREATION_THRESHOLD) {
            double maxSpacing = Double.NEGATIVE_INFINITY;
            for (double s : lowresSpacing) {
                maxSpacing = Math.max(maxSpacing, s);
            }
            boolean anyAniso = false;
            boolean[] aniso = new boolean[lowresSpacing.length];
            for (int i = 0; i < lowresSpacing.length; i++) {
                aniso[i] = maxSpacing / lowresSpacing[i] > 2;
                anyAniso |= aniso[i];
            }
            for (int i = 0; i < lowresSpacing.length; i++) {
                if (!anyAniso || aniso[i]) {
                    lowresSpacing[i] *= SPACING_INCREASE_FACTOR;
                }
            }
            double[] lowresShape = new double[lowresSpacing.length];
            int[] lowresShapeRounded = new int[lowresSpacing.length];
            for (int i = 0; i < lowresShape.length; i++) {
                lowresShape[i] = fullresSpacingT[i] / lowresSpacing[i] * newMedianShapeT[i];
                lowresShapeRounded[i] = (int) NumpyStats.roundHalfEven(lowresShape[i]);
            }
            medianNumVoxels = NumpyStats.prod(lowresShape);
            double[] roundedAsDouble = toDouble(lowresShapeRounded);
            lowres = configurationPlanner.plan(lowresSpacing.clone(), ints(lowresShapeRounded), roundedAsDouble,
                    dataIdentifier("3d_lowres"), medianNumVoxels * in.numTraining());
            voxelsInPatch = NumpyStats.prod(Json.ints(lowres, "patch_size", "3d_lowres"));
        }
        if (NumpyStats.prod(newMedianShapeT) / medianNumVoxels < 2) {
            lowres = null;
        }
        return lowres;
    }

    private String dataIdentifier(String configuration) {
        return settings.plansName() + "_" + configuration;
    }

    /** nnU-Net's compute_new_shape: round(old_spacing / new_spacing * old_shape), half to even. */
    static double[] computeNewShape(int[] oldShape, double[] oldSpacing, double[] newSpacing) {
        double[] out = new double[oldShape.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = NumpyStats.roundHalfEven(oldSpacing[i] / newSpacing[i] * oldShape[i]);
        }
        return out;
    }

    static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    static double[] permute(double[] v, int[] order) {
        double[] out = new double[order.length];
        for (int i = 0; i < order.length; i++) {
            out[i] = v[order[i]];
        }
        return out;
    }

    private static double[] slice1(double[] v) {
        return java.util.Arrays.copyOfRange(v, 1, v.length);
    }

    static double[][] toDouble(int[][] v) {
        double[][] out = new double[v.length][];
        for (int i = 0; i < v.length; i++) {
            out[i] = toDouble(v[i]);
        }
        return out;
    }

    static double[] toDouble(int[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    static ArrayNode ints(int[] v) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (int x : v) {
            a.add(x);
        }
        return a;
    }

    private static ArrayNode toJsonNumbers(double[] v) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (double x : v) {
            a.add(x);
        }
        return a;
    }
}
