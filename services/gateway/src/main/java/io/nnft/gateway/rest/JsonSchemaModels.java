package io.nnft.gateway.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nnft.events.EventSchemas;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.media.Schema;

/**
 * The event schemas (schemas/*.json, draft 2020-12) as OpenAPI 3.1 schema objects, so that the OpenAPI
 * document shows the same contract the gateway validates with, bounds and descriptions included, rather than a
 * second copy derived from the Java records (which have neither, and show a fold as an object).
 */
final class JsonSchemaModels {
    /** Keywords whose value is one schema, a list of schemas or a name-to-schema map (JSON Schema 2020-12). */
    private static final Set<String> ONE = Set.of("items", "not", "if", "then", "else", "contains", "propertyNames",
            "additionalProperties", "unevaluatedProperties", "unevaluatedItems", "contentSchema");
    private static final Set<String> LIST = Set.of("allOf", "anyOf", "oneOf", "prefixItems");
    private static final Set<String> MAP = Set.of("properties", "patternProperties", "dependentSchemas");

    private JsonSchemaModels() {
    }

    /**
     * A schema file's definition with every {@code $ref} (local or into common.v1) replaced by what it names:
     * the OpenAPI document has no $defs of ours to point into. The event schemas are not recursive.
     */
    static ObjectNode inline(String file, JsonNode node) {
        ObjectNode out = node.deepCopy();
        String ref = out.path("$ref").asText(null);
        if (ref != null) {
            int hash = ref.indexOf('#');
            String target = hash > 0 ? ref.substring(0, hash) : file;
            JsonNode resolved = EventSchemas.get().schemaTree(target).at(ref.substring(hash + 1));
            ObjectNode merged = inline(target, resolved);
            out.remove("$ref");
            merged.setAll(out); // the referring side's description and default win
            out = merged;
        }
        ObjectNode result = out.objectNode();
        for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) out::fields) {
            String k = e.getKey();
            JsonNode v = e.getValue();
            if (k.equals("$schema") || k.equals("$id") || k.equals("$defs")) {
                continue;
            }
            if (ONE.contains(k) && v.isObject()) {
                result.set(k, inline(file, v));
            } else if (LIST.contains(k)) {
                var list = result.putArray(k);
                v.forEach(item -> list.add(inline(file, item)));
            } else if (MAP.contains(k)) {
                ObjectNode map = result.putObject(k);
                v.fields().forEachRemaining(p -> map.set(p.getKey(), inline(file, p.getValue())));
            } else {
                result.set(k, v);
            }
        }
        return result;
    }

    /** An inlined schema as the MicroProfile model, with the value types its typed setters would store. */
    static Schema toModel(JsonNode node) {
        Schema schema = OASFactory.createSchema();
        node.fields().forEachRemaining(e -> schema.set(e.getKey(), keyword(e.getKey(), e.getValue())));
        return schema;
    }

    private static Object keyword(String name, JsonNode v) {
        if (name.equals("type")) {
            List<Schema.SchemaType> types = new ArrayList<>();
            (v.isArray() ? v : List.of(v)).forEach(t -> types.add(Schema.SchemaType.valueOf(t.asText().toUpperCase())));
            return types;
        }
        if (ONE.contains(name) && v.isObject()) {
            return toModel(v);
        }
        if (LIST.contains(name)) {
            List<Schema> list = new ArrayList<>();
            v.forEach(item -> list.add(toModel(item)));
            return list;
        }
        if (MAP.contains(name)) {
            Map<String, Schema> map = new LinkedHashMap<>();
            v.fields().forEachRemaining(p -> map.put(p.getKey(), toModel(p.getValue())));
            return map;
        }
        return plain(v);
    }

    private static Object plain(JsonNode v) {
        if (v.isTextual()) {
            return v.asText();
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isNumber()) {
            // BigDecimal, as Schema.setMinimum() and its kin store numbers
            return v.isIntegralNumber() ? new java.math.BigDecimal(v.bigIntegerValue()) : v.decimalValue();
        }
        if (v.isArray()) {
            List<Object> list = new ArrayList<>();
            v.forEach(item -> list.add(plain(item)));
            return list;
        }
        if (v.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            v.fields().forEachRemaining(p -> map.put(p.getKey(), plain(p.getValue())));
            return map;
        }
        return null;
    }
}
