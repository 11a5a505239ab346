package io.nnft.trainer.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The worker's stdout protocol: one JSON object per line, {@code type} one of {@link #STARTED} (device),
 * {@link #MESSAGE}, {@link #EPOCH} (after checkpoint_latest, training_log.json and progress.png are written),
 * {@link #RESULT} (the last line of a run that ended: completed, early-stopped or cancelled) and {@link #ERROR}
 * (the last line of a run that failed). Anything else on stdout (a library printing) is not protocol.
 */
public final class WorkerLine {
    public static final String STARTED = "started";
    public static final String MESSAGE = "message";
    public static final String EPOCH = "epoch";
    public static final String RESULT = "result";
    public static final String ERROR = "error";

    static final ObjectMapper MAPPER = new ObjectMapper();

    private WorkerLine() {
    }

    public static ObjectNode of(String type) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("type", type);
        return n;
    }

    /** A metric map as JSON; NaN and infinities become null (JSON has no NaN). */
    public static ObjectNode metrics(Map<String, Double> metrics) {
        ObjectNode n = MAPPER.createObjectNode();
        metrics.forEach((k, v) -> {
            if (v == null || v.isNaN() || v.isInfinite()) {
                n.putNull(k);
            } else {
                n.put(k, v);
            }
        });
        return n;
    }

    public static String render(ObjectNode line) {
        try {
            return MAPPER.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render worker line " + line, e);
        }
    }

    /** The protocol object on this line, or empty when the line is not one (library output). */
    public static Optional<JsonNode> parse(String line) {
        String t = line.strip();
        if (!t.startsWith("{\"type\"")) {
            return Optional.empty();
        }
        try {
            JsonNode n = MAPPER.readTree(t);
            return n != null && n.path("type").isTextual() ? Optional.of(n) : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** Reads a metric map back; null stays null (NaN on the wire). */
    public static Map<String, Double> readMetrics(JsonNode n) {
        Map<String, Double> m = new LinkedHashMap<>();
        if (n != null) {
            n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().isNumber() ? e.getValue().asDouble() : null));
        }
        return m;
    }

    public static Double optDouble(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || !v.isNumber() ? null : v.asDouble();
    }
}
