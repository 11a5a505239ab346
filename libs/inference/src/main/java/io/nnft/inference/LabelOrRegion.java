package io.nnft.inference;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Arrays;

/**
 * One class (an int in dataset.json) or one region (a list of labels). Keys follow nnU-Net's
 * label_or_region_to_key, i.e. Python's str(): {@code "1"} for a label, {@code "(1, 2)"} or {@code "(3,)"}
 * for a region given as a list.
 */
public record LabelOrRegion(int[] labels, boolean isRegion) {
    public LabelOrRegion {
        if (labels.length == 0) {
            throw new IllegalArgumentException("a label or region needs at least one label");
        }
        labels = labels.clone();
    }

    public static LabelOrRegion label(int label) {
        return new LabelOrRegion(new int[] {label}, false);
    }

    public static LabelOrRegion region(int... labels) {
        return new LabelOrRegion(labels, true);
    }

    static LabelOrRegion fromJson(JsonNode v, String where) {
        if (v.isIntegralNumber()) {
            return label(v.asInt());
        }
        if (v.isArray() && v.size() > 0) {
            int[] out = new int[v.size()];
            for (int i = 0; i < out.length; i++) {
                if (!v.get(i).isIntegralNumber()) {
                    throw new IllegalArgumentException(where + ": expected integer labels, found " + v);
                }
                out[i] = v.get(i).asInt();
            }
            return region(out);
        }
        throw new IllegalArgumentException(where + ": expected an integer label or a list of them, found " + v);
    }

    /** True where {@code value} belongs to this label or region. */
    public boolean contains(int value) {
        for (int l : labels) {
            if (l == value) {
                return true;
            }
        }
        return false;
    }

    /** nnU-Net's summary.json key (Python str() of the int or tuple). */
    public String key() {
        if (!isRegion) {
            return Integer.toString(labels[0]);
        }
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < labels.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(labels[i]);
        }
        return sb.append(labels.length == 1 ? ",)" : ")").toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelOrRegion r && r.isRegion == isRegion && Arrays.equals(r.labels, labels);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(labels) * 2 + (isRegion ? 1 : 0);
    }

    @Override
    public String toString() {
        return key();
    }
}
