package io.nnft.preprocessing.resampling;

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
}
