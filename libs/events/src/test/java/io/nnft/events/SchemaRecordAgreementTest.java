package io.nnft.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Walks every event schema and checks that the Java records say the same: names, nesting, types, enums. */
class SchemaRecordAgreementTest {

    @ParameterizedTest
    @EnumSource(EventType.class)
    void recordsMatchTheSchema(EventType type) {
        List<String> mismatches = new ArrayList<>();
        JsonNode root = EventSchemas.get().schemaTree(type);
        assertThat(root.path("$id").asText()).isEqualTo(type.schemaId());
        assertThat(root.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        compareObject(new SchemaWalker.Located(type.schemaFileName(), root), type.javaClass(), "", mismatches);
        assertThat(mismatches).as("schema %s vs %s", type.schemaFileName(), type.javaClass().getSimpleName()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void everyPropertyIsDescribed(EventType type) {
        List<String> undescribed = new ArrayList<>();
        findUndescribed(new SchemaWalker.Located(type.schemaFileName(), EventSchemas.get().schemaTree(type)), "",
                undescribed, new HashSet<>());
        assertThat(undescribed).isEmpty();
    }

    private void compareObject(SchemaWalker.Located at, Class<?> record, String path, List<String> mismatches) {
        SchemaWalker.Located schema = SchemaWalker.resolve(at);
        JsonNode node = schema.node();
        if (!record.isRecord()) {
            mismatches.add(path + ": schema object but " + record.getSimpleName() + " is no record");
            return;
        }
        if (!node.path("additionalProperties").isBoolean() || node.get("additionalProperties").asBoolean()) {
            mismatches.add(path + ": expected additionalProperties false");
        }
        Map<String, RecordComponent> components = new LinkedHashMap<>();
        for (RecordComponent c : record.getRecordComponents()) {
            components.put(jsonName(c), c);
        }
        Set<String> properties = new HashSet<>();
        node.path("properties").fieldNames().forEachRemaining(properties::add);
        for (String p : properties) {
            if (!components.containsKey(p)) {
                mismatches.add(path + "/" + p + ": in the schema, missing in " + record.getSimpleName());
            }
        }
        for (String c : components.keySet()) {
            if (!properties.contains(c)) {
                mismatches.add(path + "/" + c + ": in " + record.getSimpleName() + ", missing in the schema");
            }
        }
        for (JsonNode required : node.path("required")) {
            if (!properties.contains(required.asText())) {
                mismatches.add(path + ": required '" + required.asText() + "' is no property");
            }
        }
        for (Map.Entry<String, RecordComponent> e : components.entrySet()) {
            JsonNode prop = node.path("properties").get(e.getKey());
            if (prop != null) {
                compareValue(new SchemaWalker.Located(schema.file(), prop), e.getValue().getGenericType(),
                        path + "/" + e.getKey(), mismatches);
            }
        }
    }

    private void compareValue(SchemaWalker.Located at, Type javaType, String path, List<String> mismatches) {
        SchemaWalker.Located schema = SchemaWalker.resolve(at);
        JsonNode node = schema.node();
        Class<?> raw = javaType instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) javaType;
        String jsonType = node.path("type").isTextual() ? node.get("type").asText() : null;
        if (raw == String.class) {
            expectType(jsonType, "string", path, mismatches);
        } else if (raw == Integer.class || raw == Long.class) {
            expectType(jsonType, "integer", path, mismatches);
        } else if (raw == Double.class) {
            expectType(jsonType, "number", path, mismatches);
        } else if (raw == Boolean.class) {
            expectType(jsonType, "boolean", path, mismatches);
        } else if (raw == Instant.class) {
            expectType(jsonType, "string", path, mismatches);
            if (!"date-time".equals(node.path("format").asText())) {
                mismatches.add(path + ": Instant needs format date-time");
            }
        } else if (raw == Fold.class) {
            List<String> values = new ArrayList<>();
            node.path("enum").forEach(v -> values.add(v.toString()));
            if (!values.equals(List.of("0", "1", "2", "3", "4", "\"all\""))) {
                mismatches.add(path + ": Fold expects enum [0..4, \"all\"], schema has " + values);
            }
        } else if (raw.isEnum()) {
            List<String> schemaValues = new ArrayList<>();
            node.path("enum").forEach(v -> schemaValues.add(v.asText()));
            List<String> javaValues = new ArrayList<>();
            for (Object constant : raw.getEnumConstants()) {
                javaValues.add(enumJsonName((Enum<?>) constant));
            }
            if (!schemaValues.equals(javaValues)) {
                mismatches.add(
                        path + ": enum " + raw.getSimpleName() + " " + javaValues + " vs schema " + schemaValues);
            }
        } else if (raw == List.class) {
            expectType(jsonType, "array", path, mismatches);
            Type item = ((ParameterizedType) javaType).getActualTypeArguments()[0];
            compareValue(new SchemaWalker.Located(schema.file(), node.path("items")), item, path + "/*", mismatches);
        } else if (raw == Map.class) {
            expectType(jsonType, "object", path, mismatches);
            Type value = ((ParameterizedType) javaType).getActualTypeArguments()[1];
            JsonNode additional = node.path("additionalProperties");
            if (value != Double.class || !additional.path("type").toString().equals("[\"number\",\"null\"]")) {
                mismatches.add(path + ": Map<String, Double> expects additionalProperties of number|null, found "
                        + additional);
            }
        } else if (raw.isRecord()) {
            expectType(jsonType, "object", path, mismatches);
            compareObject(schema, raw, path, mismatches);
        } else {
            mismatches.add(path + ": no rule for Java type " + javaType);
        }
    }

    private static void expectType(String jsonType, String expected, String path, List<String> mismatches) {
        if (!expected.equals(jsonType)) {
            mismatches.add(path + ": Java wants JSON type " + expected + ", schema has " + jsonType);
        }
    }

    private static String jsonName(RecordComponent c) {
        JsonProperty p = c.getAccessor().getAnnotation(JsonProperty.class);
        if (p == null) {
            try {
                p = c.getDeclaringRecord().getDeclaredField(c.getName()).getAnnotation(JsonProperty.class);
            } catch (NoSuchFieldException e) {
                throw new AssertionError(e);
            }
        }
        return p != null && !p.value().isEmpty() ? p.value() : c.getName();
    }

    private static String enumJsonName(Enum<?> constant) {
        try {
            Field f = constant.getDeclaringClass().getField(constant.name());
            JsonProperty p = f.getAnnotation(JsonProperty.class);
            return p == null ? constant.name() : p.value();
        } catch (NoSuchFieldException e) {
            throw new AssertionError(e);
        }
    }

    private void findUndescribed(SchemaWalker.Located at, String path, List<String> out, Set<String> seen) {
        JsonNode props = at.node().path("properties");
        props.fields().forEachRemaining(e -> {
            String p = path + "/" + e.getKey();
            SchemaWalker.Located resolved = SchemaWalker.resolve(new SchemaWalker.Located(at.file(), e.getValue()));
            if (!e.getValue().has("description") && !resolved.node().has("description")) {
                out.add(at.file() + " " + p);
            }
            descend(resolved, p, out, seen);
        });
    }

    private void descend(SchemaWalker.Located resolved, String path, List<String> out, Set<String> seen) {
        if (!seen.add(resolved.file() + "@" + System.identityHashCode(resolved.node()))) {
            return;
        }
        findUndescribed(resolved, path, out, seen);
        JsonNode items = resolved.node().get("items");
        if (items != null) {
            descend(SchemaWalker.resolve(new SchemaWalker.Located(resolved.file(), items)), path + "/*", out, seen);
        }
    }
}
