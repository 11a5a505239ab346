package io.nnft.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON Schemas of every event, loaded once from the classpath ({@code nnft/schemas/}), and
 * validation that reports {@link Problem}s. Thread-safe.
 */
public final class EventSchemas {

    /** Envelope schema file (structured-mode CloudEvent as nnft uses it). */
    public static final String ENVELOPE_SCHEMA = "CloudEvent.v1.schema.json";
    /** Shared definitions referenced by the event schemas. */
    public static final String COMMON_SCHEMA = "common.v1.schema.json";

    private static final class Holder {
        static final EventSchemas INSTANCE = new EventSchemas();
    }

    private final Map<EventType, JsonSchema> schemas = new EnumMap<>(EventType.class);
    private final JsonSchema envelope;
    private final Map<String, JsonNode> trees = new HashMap<>();
    private final SchemaProblems problems;

    private EventSchemas() {
        for (String file : allFiles()) {
            trees.put(EventType.SCHEMA_ID_BASE + file, readTree(file));
        }
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                b -> b.schemaLoaders(loaders -> loaders.add(iri -> {
                    String id = iri.toString();
                    if (!id.startsWith(EventType.SCHEMA_ID_BASE)) {
                        return null; // never fetched over the network: only our own ids resolve
                    }
                    String resource = EventType.SCHEMA_RESOURCE_BASE + id.substring(EventType.SCHEMA_ID_BASE.length());
                    return () -> open(resource);
                })));
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                .pathType(PathType.JSON_POINTER)
                .formatAssertionsEnabled(true)
                .locale(Locale.ENGLISH)
                .build();
        for (EventType type : EventType.values()) {
            JsonSchema schema = factory.getSchema(SchemaLocation.of(type.schemaId()), config);
            schema.initializeValidators(); // a broken schema fails here, at start-up, not on the first event
            schemas.put(type, schema);
        }
        envelope = factory.getSchema(SchemaLocation.of(EventType.SCHEMA_ID_BASE + ENVELOPE_SCHEMA), config);
        envelope.initializeValidators();
        problems = new SchemaProblems(trees);
    }

    public static EventSchemas get() {
        return Holder.INSTANCE;
    }

    /** Problems of {@code data} against the schema of {@code type}; pointers relative to {@code data}. */
    public List<Problem> validate(EventType type, JsonNode data) {
        return validate(type, data, "");
    }

    /** As {@link #validate(EventType, JsonNode)}, every pointer prefixed (e.g. with {@code /data}). */
    public List<Problem> validate(EventType type, JsonNode data, String pointerPrefix) {
        List<Problem> nonFinite = new ArrayList<>();
        SchemaProblems.nonFinite(data, pointerPrefix, nonFinite);
        return nonFinite.isEmpty() ? toProblems(schemas.get(type).validate(data), pointerPrefix) : nonFinite;
    }

    /** Problems of a structured-mode CloudEvent's attributes (its data is only checked to be an object). */
    public List<Problem> validateEnvelope(JsonNode cloudEvent) {
        List<Problem> nonFinite = new ArrayList<>();
        SchemaProblems.nonFinite(cloudEvent, "", nonFinite);
        nonFinite.removeIf(p -> p.where().startsWith("/data/")); // the data's own validation reports these
        return nonFinite.isEmpty() ? toProblems(envelope.validate(cloudEvent), "") : nonFinite;
    }

    /** The schema document of {@code type} as JSON (e.g. for an OpenAPI description or a test). */
    public JsonNode schemaTree(EventType type) {
        return trees.get(type.schemaId()).deepCopy();
    }

    /** A schema document by file name, e.g. {@code common.v1.schema.json}. */
    public JsonNode schemaTree(String fileName) {
        JsonNode tree = trees.get(EventType.SCHEMA_ID_BASE + fileName);
        if (tree == null) {
            throw new IllegalArgumentException("no schema " + fileName + ": expected one of " + trees.keySet());
        }
        return tree.deepCopy();
    }

    private List<Problem> toProblems(java.util.Set<ValidationMessage> messages, String prefix) {
        List<Problem> out = new ArrayList<>();
        for (ValidationMessage m : messages) {
            out.add(problems.toProblem(m, prefix));
        }
        out.sort(Comparator.comparing(Problem::where).thenComparing(Problem::expected));
        return out;
    }

    private static List<String> allFiles() {
        List<String> files = new ArrayList<>(List.of(COMMON_SCHEMA, ENVELOPE_SCHEMA));
        for (EventType type : EventType.values()) {
            files.add(type.schemaFileName());
        }
        return files;
    }

    private static JsonNode readTree(String file) {
        try (InputStream in = open(EventType.SCHEMA_RESOURCE_BASE + file)) {
            return EventJson.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("schema " + file + ": expected valid JSON, found " + e.getMessage(), e);
        }
    }

    private static InputStream open(String resource) throws IOException {
        InputStream in = EventSchemas.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IOException("schema resource " + resource + " not on the classpath (is nnft-events built "
                    + "with the top-level schemas/ folder as a resource directory?)");
        }
        return in;
    }
}
