package io.nnft.preprocessing.resampling;

import java.util.Arrays;

/**
 * Whether an anisotropic volume is resampled slice by slice (in plane with the spline order, along the
 * low-resolution axis with order_z), as nnU-Net's determine_do_sep_z_and_axis decides it.
 *
 * @param doSeparateZ resample the low-resolution axis separately
 * @param axis        that axis, or -1 when not separate
 */
public record SeparateZ(boolean doSeparateZ, int axis) {
    /** nnU-Net's ANISO_THRESHOLD: a spacing ratio above 3 counts as anisotropic. */
    public static final double ANISO_THRESHOLD = 3.0;

    public static final SeparateZ NONE = new SeparateZ(false, -1);

    /**
     * Decides from the current and target spacing. With {@code force} null: separate when the current
     * spacing is anisotropic (axis from it), else when the target is (axis from that); never when two
     * or three axes share the largest spacing (e.g. 0.24, 1.25, 1.25).
     */
    public static SeparateZ decide(Boolean force, double[] currentSpacing, double[] newSpacing) {
        int[] axes;
        if (force != null) {
            if (!force) {
                return NONE;
            }
            axes = lowResAxes(currentSpacing);
        } else if (isAnisotropic(currentSpacing)) {
            axes = lowResAxes(currentSpacing);
        } else if (isAnisotropic(newSpacing)) {
            axes = lowResAxes(newSpacing);
        } else {
            return NONE;
        }
        if (axes.length != 1) {
            return NONE;
        }
        return new SeparateZ(true, axes[0]);
    }

    /** get_do_separate_z: max spacing / min spacing above the threshold. */
    public static boolean isAnisotropic(double[] spacing) {
        double max = Arrays.stream(spacing).max().orElseThrow();
        double min = Arrays.stream(spacing).min().orElseThrow();
        return max / min > ANISO_THRESHOLD;
    }

    /** get_lowres_axis: every axis whose spacing equals the largest one. */
    public static int[] lowResAxes(double[] spacing) {
        double max = Arrays.stream(spacing).max().orElseThrow();
        return java.util.stream.IntStream.range(0, spacing.length)
                .filter(i -> max / spacing[i] == 1.0).toArray();
    }
}
