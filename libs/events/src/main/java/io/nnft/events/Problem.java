package io.nnft.events;

import java.util.Objects;

/**
 * One thing that is wrong with an input.
 *
 * @param where JSON pointer of the failing field (e.g. {@code /data/fold}), or a file/object key
 * @param expected the rule that was broken, phrased as what was expected
 * @param found what was there instead ({@code nothing} when the field was missing)
 */
public record Problem(
        String where,
        String expected,
        String found) {

    public Problem {
        Objects.requireNonNull(where, "where");
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(found, "found");
    }

    /** {@code where: expected X, found Y} — the form used in exception messages and JobFailed reasons. */
    @Override
    public String toString() {
        return (where.isEmpty() ? "(root)" : where) + ": expected " + expected + ", found " + found;
    }
}
