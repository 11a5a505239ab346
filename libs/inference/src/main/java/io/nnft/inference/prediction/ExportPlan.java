package io.nnft.inference.prediction;

import com.fasterxml.jackson.databind.JsonNode;
import io.nnft.inference.LabelLayout;
import io.nnft.planning.ConfigurationPlan;
import io.nnft.planning.Plans;
import io.nnft.preprocessing.resampling.ResamplingKwargs;

/**
 * What export_prediction_from_logits reads from the plans and dataset.json: the transposes, the
 * configuration's spacing, the kwargs of resampling_fn_probabilities and the label layout.
 */
public record ExportPlan(String configuration, int[] transposeForward, int[] transposeBackward,
                         double[] configurationSpacing, ResamplingKwargs probabilitiesKwargs, LabelLayout labels) {
    private static final String RESAMPLING_FN = "resample_data_or_seg_to_shape";

    public static ExportPlan of(Plans plans, String configuration, LabelLayout labels) {
        ConfigurationPlan c = plans.configuration(configuration);
        String where = plans.source() + ".configurations." + configuration;
        if (!RESAMPLING_FN.equals(c.resamplingFnProbabilities())) {
            throw new IllegalArgumentException(where + ".resampling_fn_probabilities: only " + RESAMPLING_FN
                    + " is implemented, found '" + c.resamplingFnProbabilities() + "'");
        }
        return new ExportPlan(configuration, plans.transposeForward(), plans.transposeBackward(), c.spacing(),
                kwargs(c.resamplingFnProbabilitiesKwargs(), where + ".resampling_fn_probabilities_kwargs"), labels);
    }

    /** resample_data_or_seg_to_shape's keyword arguments; absent ones take the function's defaults. */
    static ResamplingKwargs kwargs(JsonNode k, String where) {
        if (k == null || !k.isObject()) {
            throw new IllegalArgumentException(where + ": expected an object of keyword arguments, found " + k);
        }
        boolean isSeg = k.has("is_seg") && k.get("is_seg").asBoolean();
        int order = intOr(k, "order", 3, where);
        int orderZ = intOr(k, "order_z", 0, where);
        Boolean force = Boolean.FALSE;
        JsonNode f = k.get("force_separate_z");
        if (f != null) {
            if (f.isNull()) {
                force = null;
            } else if (f.isBoolean()) {
                force = f.asBoolean();
            } else {
                throw new IllegalArgumentException(where + ".force_separate_z: expected true, false or null, found " + f);
            }
        }
        try {
            return new ResamplingKwargs(isSeg, order, orderZ, force);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private static int intOr(JsonNode k, String key, int dflt, String where) {
        JsonNode v = k.get(key);
        if (v == null) {
            return dflt;
        }
        if (!v.isIntegralNumber()) {
            throw new IllegalArgumentException(where + "." + key + ": expected an integer, found " + v);
        }
        return v.asInt();
    }
}
