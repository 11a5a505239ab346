package io.nnft.preprocessing.resampling;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The plans' {@code resampling_fn_data_kwargs} / {@code resampling_fn_seg_kwargs} of
 * resample_data_or_seg_to_shape. {@code forceSeparateZ} is null when nnU-Net decides by anisotropy.
 */
public record ResamplingKwargs(boolean isSeg, int order, int orderZ, Boolean forceSeparateZ) {
    public ResamplingKwargs {
        BSpline.checkOrder(order);
        BSpline.checkOrder(orderZ);
    }

    /** nnU-Net's defaults for images (order 3 in plane, 0 along z). */
    public static ResamplingKwargs dataDefaults() {
        return new ResamplingKwargs(false, 3, 0, null);
    }

    /** nnU-Net's defaults for segmentations (order 1 in plane, 0 along z). */
    public static ResamplingKwargs segDefaults() {
        return new ResamplingKwargs(true, 1, 0, null);
    }

    /**
     * resample_data_or_seg_to_shape's keyword arguments as a plans configuration states them; absent ones
     * take the function's defaults.
     */
    public static ResamplingKwargs fromPlans(JsonNode k, boolean defaultIsSeg, String where) {
        if (k == null || !k.isObject()) {
            throw new IllegalArgumentException(where + ": expected an object of keyword arguments, found " + k);
        }
        boolean isSeg = k.has("is_seg") ? k.get("is_seg").asBoolean() : defaultIsSeg;
        int order = intOr(k, "order", 3, where);
        int orderZ = intOr(k, "order_z", 0, where);
        Boolean force = null;
        JsonNode f = k.get("force_separate_z");
        if (f != null && !f.isNull()) {
            if (!f.isBoolean()) {
                throw new IllegalArgumentException(where + ".force_separate_z: expected true, false or null, found " + f);
            }
            force = f.asBoolean();
        } else if (f == null) {
            // resample_data_or_seg_to_shape's own default
            force = false;
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
