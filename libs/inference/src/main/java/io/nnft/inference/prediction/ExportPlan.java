package io.nnft.inference.prediction;

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
                ResamplingKwargs.fromPlans(c.resamplingFnProbabilitiesKwargs(), false, where + ".resampling_fn_probabilities_kwargs"), labels);
    }
}
