package io.nnft.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The part of Kubernetes' strategic merge patch nnft's overlays use: maps merge recursively, a null
 * deletes, lists of named items (containers, env, volumes) merge by name, any other list is replaced
 * (as tolerations are).
 */
final class StrategicMerge {
    private StrategicMerge() {
    }

    static JsonNode apply(JsonNode base, JsonNode patch) {
        if (base instanceof ObjectNode object && patch.isObject()) {
            ObjectNode merged = object.deepCopy();
            patch.properties().forEach(field -> {
                if (field.getKey().startsWith("$")) {
                    throw new AssertionError("patch directive " + field.getKey() + " is not supported by the fallback "
                            + "renderer: install kubectl to render this overlay");
                }
                if (field.getValue().isNull()) {
                    merged.remove(field.getKey());
                } else if (merged.has(field.getKey())) {
                    merged.set(field.getKey(), apply(merged.get(field.getKey()), field.getValue()));
                } else {
                    merged.set(field.getKey(), field.getValue().deepCopy());
                }
            });
            return merged;
        }
        if (base instanceof ArrayNode list && patch.isArray() && named(list) && named(patch)) {
            // kustomize lists the patch's items first, in the patch's order, then the base's other items.
            ArrayNode merged = list.arrayNode();
            for (JsonNode item : patch) {
                int at = indexOf(list, item.get("name").asText());
                merged.add(at < 0 ? item.deepCopy() : apply(list.get(at), item));
            }
            for (JsonNode item : list) {
                if (indexOf(patch, item.get("name").asText()) < 0) {
                    merged.add(item.deepCopy());
                }
            }
            return merged;
        }
        return patch.deepCopy();
    }

    private static boolean named(JsonNode list) {
        for (JsonNode item : list) {
            if (!item.isObject() || !item.path("name").isTextual()) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(JsonNode list, String name) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).path("name").asText().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
