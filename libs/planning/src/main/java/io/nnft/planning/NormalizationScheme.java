package io.nnft.planning;

/**
 * nnU-Net's normalization schemes and how a channel name in dataset.json selects one
 * (map_channel_name_to_normalization: exact, case-sensitive names; anything else is z-score).
 */
public enum NormalizationScheme {
    CT("CTNormalization", false),
    NO_NORM("NoNormalization", false),
    ZSCORE("ZScoreNormalization", true),
    RESCALE_0_1("RescaleTo01Normalization", false),
    RGB_TO_0_1("RGBTo01Normalization", false);

    private final String className;
    private final boolean leavesPixelsOutsideMaskAtZero;

    NormalizationScheme(String className, boolean leavesPixelsOutsideMaskAtZero) {
        this.className = className;
        this.leavesPixelsOutsideMaskAtZero = leavesPixelsOutsideMaskAtZero;
    }

    /** The name written into the plans ({@code normalization_schemes}). */
    public String className() {
        return className;
    }

    /**
     * nnU-Net's {@code leaves_pixels_outside_mask_at_zero_if_use_mask_for_norm_is_true}: only z-score keeps
     * the outside at zero, so only z-score channels get {@code use_mask_for_norm = true}.
     */
    public boolean leavesPixelsOutsideMaskAtZero() {
        return leavesPixelsOutsideMaskAtZero;
    }

    public static NormalizationScheme forChannelName(String channelName) {
        return switch (channelName) {
            case "CT" -> CT;
            case "noNorm" -> NO_NORM;
            case "zscore" -> ZSCORE;
            case "rescale_0_1" -> RESCALE_0_1;
            case "rgb_to_0_1" -> RGB_TO_0_1;
            default -> ZSCORE;
        };
    }

    public static NormalizationScheme forClassName(String className) {
        for (NormalizationScheme s : values()) {
            if (s.className.equals(className)) {
                return s;
            }
        }
        throw new PlansException("unknown normalization scheme '" + className + "', expected one of "
                + java.util.Arrays.stream(values()).map(NormalizationScheme::className).toList());
    }
}
