package io.nnft.planning;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Compares two JSON trees the way plans are compared with nnU-Net's: same keys in the same order,
 * integers exact and still integers, floats to a relative tolerance. Reports the first differing path.
 */
public final class JsonTreeDiff {
    private JsonTreeDiff() {
    }

    /** The first difference as {@code path: expected X, found Y}, or empty when the trees agree. */
    public static Optional<String> firstDifference(JsonNode expected, JsonNode actual, double relTol) {
        return diff("$", expected, actual, relTol);
    }

    private static Optional<String> diff(String path, JsonNode e, JsonNode a, double tol) {
        if (e.isObject()) {
            if (!a.isObject()) {
                return mismatch(path, e, a);
            }
            List<String> ek = keys(e);
            List<String> ak = keys(a);
            if (!ek.equals(ak)) {
                return Optional.of(path + ": expected keys " + ek + ", found " + ak);
            }
            for (String k : ek) {
                Optional<String> d = diff(path + "." + k, e.get(k), a.get(k), tol);
                if (d.isPresent()) {
                    return d;
                }
            }
            return Optional.empty();
        }
        if (e.isArray()) {
            if (!a.isArray() || a.size() != e.size()) {
                return mismatch(path, e, a);
            }
            for (int i = 0; i < e.size(); i++) {
                Optional<String> d = diff(path + "[" + i + "]", e.get(i), a.get(i), tol);
                if (d.isPresent()) {
                    return d;
                }
            }
            return Optional.empty();
        }
        if (e.isIntegralNumber()) {
            return a.isIntegralNumber() && a.bigIntegerValue().equals(e.bigIntegerValue())
                    ? Optional.empty() : mismatch(path, e, a);
        }
        if (e.isNumber()) {
            if (!a.isFloatingPointNumber()) {
                return mismatch(path, e, a);
            }
            double x = e.asDouble();
            double y = a.asDouble();
            if (x == y || Math.abs(x - y) <= tol * Math.max(Math.abs(x), Math.abs(y))) {
                return Optional.empty();
            }
            return mismatch(path, e, a);
        }
        return e.equals(a) ? Optional.empty() : mismatch(path, e, a);
    }

    private static Optional<String> mismatch(String path, JsonNode e, JsonNode a) {
        return Optional.of(path + ": expected " + e + " (" + e.getNodeType() + (e.isNumber() ? " " + e.numberType() : "")
                + "), found " + a + " (" + a.getNodeType() + (a.isNumber() ? " " + a.numberType() : "") + ")");
    }

    private static List<String> keys(JsonNode n) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }
}
