package io.nnft.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * nnU-Net fold: 0-4 of the 5-fold split, or {@code all}. On the wire an integer or the string "all",
 * as nnU-Net's command line takes it.
 *
 * @param index 0..4, or null for {@code all}
 */
public record Fold(Integer index) {

    public static final Fold ALL = new Fold(null);

    public Fold {
        if (index != null && (index < 0 || index > 4)) {
            throw new IllegalArgumentException("fold: expected 0..4 or \"all\", found " + index);
        }
    }

    public static Fold of(int index) {
        return new Fold(index);
    }

    /** Reads 0..4 (number or numeric string) or "all". */
    @JsonCreator
    public static Fold parse(Object value) {
        if (value instanceof Number n && n.doubleValue() == n.intValue()) {
            return new Fold(n.intValue());
        }
        if (value instanceof String s) {
            if (s.equals("all")) {
                return ALL;
            }
            if (s.matches("[0-4]")) {
                return new Fold(Integer.parseInt(s));
            }
        }
        throw new IllegalArgumentException("fold: expected 0..4 or \"all\", found " + value);
    }

    public boolean isAll() {
        return index == null;
    }

    @JsonValue
    public Object json() {
        return index == null ? "all" : index;
    }

    /** "0".."4" or "all", as in nnU-Net's folder names {@code fold_<f>}. */
    @Override
    public String toString() {
        return index == null ? "all" : index.toString();
    }
}
