package io.nnft.events;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Metric maps on the wire: insertion order kept, NaN/infinite values become null (JSON has no NaN). */
final class Metrics {

    private Metrics() {}

    static Map<String, Double> normalise(Map<String, Double> metrics) {
        if (metrics == null) {
            return null;
        }
        Map<String, Double> copy = new LinkedHashMap<>();
        metrics.forEach((name, value) ->
                copy.put(name, value == null || value.isNaN() || value.isInfinite() ? null : value));
        return Collections.unmodifiableMap(copy);
    }
}
