package io.nnft.preprocessing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nnft.preprocessing.cropping.CropBox;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * nnU-Net's per-case properties (the .pkl next to each preprocessed case), written as JSON with the
 * same keys and order: the reader's geometry entries, spacing, shape_before_cropping,
 * bbox_used_for_cropping, shape_after_cropping_and_before_resampling and, for training cases,
 * class_locations.
 *
 * @param classLocations null on the inference path
 */
public record CaseProperties(ObjectNode readerProperties, double[] spacing, int[] shapeBeforeCropping,
                             CropBox bboxUsedForCropping, int[] shapeAfterCroppingAndBeforeResampling,
                             Map<String, int[][]> classLocations) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** JSON text; class locations one compact line per class, as they can be 10,000 entries long. */
    public String toJson() {
        StringBuilder sb = new StringBuilder("{\n");
        Iterator<Map.Entry<String, JsonNode>> it = readerProperties == null
                ? java.util.Collections.emptyIterator() : readerProperties.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("spacing")) {
                continue;
            }
            sb.append("  ").append(quote(e.getKey())).append(": ").append(write(e.getValue())).append(",\n");
        }
        sb.append("  \"spacing\": ").append(write(MAPPER.valueToTree(spacing))).append(",\n");
        sb.append("  \"shape_before_cropping\": ").append(ints(shapeBeforeCropping)).append(",\n");
        sb.append("  \"bbox_used_for_cropping\": [");
        for (int a = 0; a < bboxUsedForCropping.lo().length; a++) {
            sb.append(a == 0 ? "" : ", ").append('[').append(bboxUsedForCropping.lo()[a]).append(", ")
                    .append(bboxUsedForCropping.hi()[a]).append(']');
        }
        sb.append("],\n");
        sb.append("  \"shape_after_cropping_and_before_resampling\": ")
                .append(ints(shapeAfterCroppingAndBeforeResampling));
        if (classLocations != null) {
            sb.append(",\n  \"class_locations\": {");
            boolean first = true;
            for (Map.Entry<String, int[][]> e : classLocations.entrySet()) {
                sb.append(first ? "\n" : ",\n").append("    ").append(quote(e.getKey())).append(": [");
                first = false;
                int[][] locs = e.getValue();
                for (int i = 0; i < locs.length; i++) {
                    sb.append(i == 0 ? "" : ",").append('[');
                    for (int j = 0; j < locs[i].length; j++) {
                        sb.append(j == 0 ? "" : ",").append(locs[i][j]);
                    }
                    sb.append(']');
                }
                sb.append(']');
            }
            sb.append(first ? "}" : "\n  }");
        }
        return sb.append("\n}\n").toString();
    }

    /** Reads what {@link #toJson} (or nnU-Net's properties exported as JSON) wrote. */
    public static CaseProperties fromJson(String json, String where) {
        try {
            JsonNode root = MAPPER.readTree(json);
            ObjectNode reader = MAPPER.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().endsWith("_stuff")) {
                    reader.set(e.getKey(), e.getValue());
                }
            }
            JsonNode bbox = need(root, "bbox_used_for_cropping", where);
            int[] lo = new int[bbox.size()];
            int[] hi = new int[bbox.size()];
            for (int a = 0; a < lo.length; a++) {
                lo[a] = bbox.get(a).get(0).asInt();
                hi[a] = bbox.get(a).get(1).asInt();
            }
            Map<String, int[][]> locs = null;
            JsonNode cl = root.get("class_locations");
            if (cl != null) {
                locs = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = cl.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    locs.put(e.getKey(), MAPPER.treeToValue(e.getValue(), int[][].class));
                }
            }
            return new CaseProperties(reader,
                    MAPPER.treeToValue(need(root, "spacing", where), double[].class),
                    MAPPER.treeToValue(need(root, "shape_before_cropping", where), int[].class),
                    new CropBox(lo, hi),
                    MAPPER.treeToValue(need(root, "shape_after_cropping_and_before_resampling", where), int[].class),
                    locs);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + ": not valid properties JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static JsonNode need(JsonNode root, String key, String where) {
        JsonNode v = root.get(key);
        if (v == null) {
            throw new IllegalArgumentException(where + ": missing key '" + key + "'");
        }
        return v;
    }

    private static String ints(int[] a) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < a.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(a[i]);
        }
        return sb.append(']').toString();
    }

    private static String quote(String s) {
        return write(MAPPER.getNodeFactory().textNode(s));
    }

    private static String write(JsonNode n) {
        try {
            return MAPPER.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
