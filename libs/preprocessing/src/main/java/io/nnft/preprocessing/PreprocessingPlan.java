package io.nnft.preprocessing;

import com.fasterxml.jackson.databind.JsonNode;
import io.nnft.planning.ConfigurationPlan;
import io.nnft.planning.IntensityProperties;
import io.nnft.planning.Plans;
import io.nnft.preprocessing.resampling.ResamplingKwargs;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything DefaultPreprocessor reads from the plans (one configuration) and dataset.json.
 *
 * @param spacing             the configuration's target spacing, already transposed; 2 entries for 2d
 * @param intensityProperties per channel, null where the fingerprint has none
 */
public record PreprocessingPlan(String configuration, int[] transposeForward, double[] spacing,
                                List<String> normalizationSchemes, boolean[] useMaskForNorm,
                                ResamplingKwargs dataKwargs, ResamplingKwargs segKwargs,
                                List<IntensityProperties> intensityProperties, DatasetLabels labels) {

    private static final String RESAMPLING_FN = "resample_data_or_seg_to_shape";

    public static PreprocessingPlan of(Plans plans, String configuration, DatasetLabels labels) {
        ConfigurationPlan c = plans.configuration(configuration);
        String where = plans.source() + ".configurations." + configuration;
        if (!"DefaultPreprocessor".equals(c.preprocessorName())) {
            throw new IllegalArgumentException(where + ".preprocessor_name: only DefaultPreprocessor is implemented, found '"
                    + c.preprocessorName() + "'");
        }
        checkFn(c.resamplingFnData(), where + ".resampling_fn_data");
        checkFn(c.resamplingFnSeg(), where + ".resampling_fn_seg");
        List<String> schemes = c.normalizationSchemes();
        boolean[] mask = c.useMaskForNorm();
        if (mask.length != schemes.size()) {
            throw new IllegalArgumentException(where + ": use_mask_for_norm has " + mask.length
                    + " entries, normalization_schemes " + schemes.size());
        }
        List<IntensityProperties> props = new ArrayList<>();
        for (int ch = 0; ch < schemes.size(); ch++) {
            props.add(ch < plans.numberOfChannelsWithIntensityProperties() ? plans.foregroundIntensityProperties(ch) : null);
        }
        return new PreprocessingPlan(configuration, plans.transposeForward(), c.spacing(), schemes, mask,
                ResamplingKwargs.fromPlans(c.resamplingFnDataKwargs(), false, where + ".resampling_fn_data_kwargs"),
                ResamplingKwargs.fromPlans(c.resamplingFnSegKwargs(), true, where + ".resampling_fn_seg_kwargs"),
                props, labels);
    }

    private static void checkFn(String fn, String where) {
        if (!RESAMPLING_FN.equals(fn)) {
            throw new IllegalArgumentException(where + ": only " + RESAMPLING_FN + " is implemented, found '" + fn + "'");
        }
    }

    public int channels() {
        return normalizationSchemes.size();
    }
}
