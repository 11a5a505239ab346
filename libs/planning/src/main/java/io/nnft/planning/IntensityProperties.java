package io.nnft.planning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Foreground intensity statistics of one input channel, as the fingerprint extractor computes them
 * and CTNormalization consumes them ({@code foreground_intensity_properties_per_channel[c]}).
 */
public record IntensityProperties(double mean, double median, double std, double min, double max,
                                  double percentile00_5, double percentile99_5) {

    static IntensityProperties fromJson(JsonNode node, String where) {
        return new IntensityProperties(
                Json.number(node, "mean", where),
                Json.number(node, "median", where),
                Json.number(node, "std", where),
                Json.number(node, "min", where),
                Json.number(node, "max", where),
                Json.number(node, "percentile_00_5", where),
                Json.number(node, "percentile_99_5", where));
    }

    /** nnU-Net's key order (the extractor writes a dict with these keys, alphabetical after sort_keys). */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("max", max);
        o.put("mean", mean);
        o.put("median", median);
        o.put("min", min);
        o.put("percentile_00_5", percentile00_5);
        o.put("percentile_99_5", percentile99_5);
        o.put("std", std);
        return o;
    }
}
