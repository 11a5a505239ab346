package io.nnft.training.synth;

import java.util.Locale;

/**
 * The synthetic tasks. A: spheres (label 1) and rods (label 2: boxes elongated along x) of the same
 * intensity range in Gaussian noise — the classes differ only by shape (SNR = intensity / noise σ ≤ 2). B, a
 * related task for fine-tuning: spheres (label 1) and elongated ellipsoids (label 2), again same intensity.
 */
public enum SyntheticTask {
    A("sphere", "rod"),
    B("sphere", "ellipsoid");

    private final String label1;
    private final String label2;

    SyntheticTask(String label1, String label2) {
        this.label1 = label1;
        this.label2 = label2;
    }

    public String label1() {
        return label1;
    }

    public String label2() {
        return label2;
    }

    public static SyntheticTask parse(String s) {
        try {
            return valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("task: expected A or B, found '" + s + "'");
        }
    }
}
