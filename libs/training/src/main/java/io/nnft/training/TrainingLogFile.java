package io.nnft.training;

import io.nnft.imageio.AtomicFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@code training_log.json} of any task: the task's header (class names; a classifier's task and monitored metric),
 * how training ended, and one object per epoch as its record writes it ({@link EpochSummary#writeJson}). The same
 * text is embedded in every checkpoint so a resume restores the full log.
 */
public final class TrainingLogFile {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TrainingLogFile() {
    }

    /** The header of a segmentation log: its foreground class names. */
    public static ObjectNode header(List<String> classNames) {
        ObjectNode root = MAPPER.createObjectNode();
        classNames.forEach(root.putArray("classes")::add);
        return root;
    }

    public static String toJson(ObjectNode header, List<? extends EpochSummary> log, String stopReason) {
        ObjectNode root = header.deepCopy();
        if (stopReason != null) {
            root.put("stop_reason", stopReason);
        }
        var epochs = root.putArray("epochs");
        for (EpochSummary r : log) {
            r.writeJson(epochs.addObject());
        }
        return root.toPrettyString();
    }

    /** NaN (e.g. no foreground in any validation batch yet) as JSON null: JSON has no NaN. */
    public static void putNumber(ObjectNode n, String key, double v) {
        if (Double.isNaN(v)) {
            n.putNull(key);
        } else {
            n.put(key, v);
        }
    }

    public static <R extends EpochSummary> List<R> parse(String json, String where, Function<JsonNode, R> epoch) {
        try {
            JsonNode root = MAPPER.readTree(json);
            List<R> out = new ArrayList<>();
            for (JsonNode e : root.path("epochs")) {
                out.add(epoch.apply(e));
            }
            return out;
        } catch (IOException | NullPointerException e) {
            throw new IllegalArgumentException(where + ": training log is not the expected JSON: " + e.getMessage(), e);
        }
    }

    /** Reads what {@link #putNumber} wrote: null or absent as NaN. */
    public static double number(JsonNode e, String key) {
        JsonNode v = e.get(key);
        return v == null || v.isNull() ? Double.NaN : v.asDouble();
    }

    /** Written under a temporary name and moved into place. */
    public static void write(Path file, String json) throws IOException {
        AtomicFiles.write(file, tmp -> Files.writeString(tmp, json));
    }
}
