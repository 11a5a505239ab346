package io.nnft.planning;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed access to JSON trees with errors that say which source and key were wrong. Shared by the
 * readers of plans, fingerprints and dataset.json.
 */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static ObjectNode readObject(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new PlansException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return parseObject(text, file.toString());
    }

    static ObjectNode parseObject(String text, String source) {
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new PlansException(source + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new PlansException(source + ": expected a JSON object at the top level, found "
                    + (node == null ? "nothing" : node.getNodeType()));
        }
        return (ObjectNode) node;
    }

    static JsonNode required(JsonNode parent, String key, String where) {
        JsonNode n = parent.get(key);
        if (n == null) {
            throw new PlansException(where + ": missing key '" + key + "'");
        }
        return n;
    }

    static ObjectNode object(JsonNode parent, String key, String where) {
        JsonNode n = required(parent, key, where);
        if (!n.isObject()) {
            throw new PlansException(where + "." + key + ": expected an object, found " + n.getNodeType());
        }
        return (ObjectNode) n;
    }

    static String text(JsonNode parent, String key, String where) {
        JsonNode n = required(parent, key, where);
        if (!n.isTextual()) {
            throw new PlansException(where + "." + key + ": expected a string, found " + n);
        }
        return n.asText();
    }

    static int integer(JsonNode parent, String key, String where) {
        JsonNode n = required(parent, key, where);
        if (!n.isIntegralNumber() && !(n.isNumber() && n.asDouble() == Math.rint(n.asDouble()))) {
            throw new PlansException(where + "." + key + ": expected an integer, found " + n);
        }
        return n.asInt();
    }

    static double number(JsonNode parent, String key, String where) {
        JsonNode n = required(parent, key, where);
        if (!n.isNumber()) {
            throw new PlansException(where + "." + key + ": expected a number, found " + n);
        }
        return n.asDouble();
    }

    static boolean bool(JsonNode parent, String key, String where) {
        JsonNode n = required(parent, key, where);
        if (!n.isBoolean()) {
            throw new PlansException(where + "." + key + ": expected true/false, found " + n);
        }
        return n.asBoolean();
    }

    static JsonNode array(JsonNode parent, String key, String where) {
        JsonNode n = required(parent, key, where);
        if (!n.isArray()) {
            throw new PlansException(where + "." + key + ": expected a list, found " + n.getNodeType());
        }
        return n;
    }

    static int[] ints(JsonNode parent, String key, String where) {
        JsonNode a = array(parent, key, where);
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode e = a.get(i);
            if (!e.isNumber() || e.asDouble() != Math.rint(e.asDouble())) {
                throw new PlansException(where + "." + key + "[" + i + "]: expected an integer, found " + e);
            }
            out[i] = e.asInt();
        }
        return out;
    }

    static int[][] intMatrix(JsonNode parent, String key, String where) {
        JsonNode a = array(parent, key, where);
        int[][] out = new int[a.size()][];
        for (int i = 0; i < out.length; i++) {
            JsonNode row = a.get(i);
            if (!row.isArray()) {
                throw new PlansException(where + "." + key + "[" + i + "]: expected a list, found " + row);
            }
            out[i] = new int[row.size()];
            for (int j = 0; j < row.size(); j++) {
                out[i][j] = row.get(j).asInt();
            }
        }
        return out;
    }

    static double[] doubles(JsonNode parent, String key, String where) {
        JsonNode a = array(parent, key, where);
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode e = a.get(i);
            if (!e.isNumber()) {
                throw new PlansException(where + "." + key + "[" + i + "]: expected a number, found " + e);
            }
            out[i] = e.asDouble();
        }
        return out;
    }

    static List<String> strings(JsonNode parent, String key, String where) {
        JsonNode a = array(parent, key, where);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            JsonNode e = a.get(i);
            if (!e.isTextual()) {
                throw new PlansException(where + "." + key + "[" + i + "]: expected a string, found " + e);
            }
            out.add(e.asText());
        }
        return List.copyOf(out);
    }

    static boolean[] bools(JsonNode parent, String key, String where) {
        JsonNode a = array(parent, key, where);
        boolean[] out = new boolean[a.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode e = a.get(i);
            if (!e.isBoolean()) {
                throw new PlansException(where + "." + key + "[" + i + "]: expected true/false, found " + e);
            }
            out[i] = e.asBoolean();
        }
        return out;
    }
}
