package io.nnft.events;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Structured-mode CloudEvents (JSON format, spec 1.0) for nnft's events, validated against the schemas
 * on both sides: a producer never publishes an invalid event and a consumer gets either a typed event or
 * an {@link InvalidEventException} (never another exception, whatever the bytes).
 *
 * <p>A plain Jackson envelope rather than the CloudEvents SDK: the SDK's parser reports envelope errors
 * as its own exceptions without field pointers and copies {@code data} to bytes; here the envelope is
 * validated like the data, so every problem comes back as a {@link Problem} with a JSON pointer. The tests
 * check that the SDK reads what we write and we read what it writes.
 */
public final class EventCodec {

    public static final String SPEC_VERSION = "1.0";
    /** What {@link #encode} writes as {@code datacontenttype}, and what an event without one is read as. */
    public static final String CONTENT_TYPE = "application/json";

    private final String source;
    private final ObjectMapper mapper = EventJson.mapper();
    private final EventSchemas schemas = EventSchemas.get();

    /** @param source this producer's CloudEvent source, e.g. {@code /nnft/planner} */
    public EventCodec(String source) {
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException(
                    "CloudEvent source: expected a URI reference such as /nnft/planner, found "
                            + (source == null ? "null" : "'" + source + "'"));
        }
        this.source = source;
    }

    /** Codec whose source is {@code /nnft/<producer>}. */
    public static EventCodec forProducer(String producer) {
        return new EventCodec("/nnft/" + producer);
    }

    public String source() {
        return source;
    }

    /** The Kafka key for {@code event}: its job id. */
    public static String key(NnftEvent event) {
        return event.jobId();
    }

    /** A CloudEvent with a fresh UUID id and the current time. Throws InvalidEventException on a producer bug. */
    public byte[] encode(NnftEvent event) {
        return encode(event, UUID.randomUUID().toString(), Instant.now());
    }

    /** As {@link #encode(NnftEvent)} with a given id and time (e.g. a deterministic id for de-duplication). */
    public byte[] encode(NnftEvent event, String id, Instant time) {
        Objects.requireNonNull(event, "event");
        EventType type = EventType.of(event.getClass());
        JsonNode data = mapper.valueToTree(event);
        List<Problem> problems = new ArrayList<>(schemas.validate(type, data, "/data"));
        if (problems.isEmpty()) {
            problems.addAll(ruleProblems(event, "/data"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidEventException("refusing to encode an invalid " + type.cloudEventType(), problems,
                    readableJobId(event.jobId()), type.cloudEventType());
        }
        ObjectNode ce = mapper.createObjectNode();
        ce.put("specversion", SPEC_VERSION);
        ce.put("id", id);
        ce.put("source", source);
        ce.put("type", type.cloudEventType());
        if (event.jobId() != null) {
            ce.put("subject", event.jobId());
        }
        if (time != null) {
            ce.put("time", time.toString());
        }
        ce.put("datacontenttype", CONTENT_TYPE);
        ce.put("dataschema", type.schemaId());
        ce.set("data", data);
        try {
            return mapper.writeValueAsBytes(ce);
        } catch (JacksonException e) {
            throw new IllegalStateException(
                    "cannot serialize " + type.cloudEventType() + ": " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Validates envelope and data; the typed event, or InvalidEventException listing every problem. An absent
     * {@code datacontenttype} means {@value #CONTENT_TYPE} (CloudEvents 1.0); a present one must be a JSON type.
     */
    public Decoded decode(byte[] bytes) {
        ObjectNode ce = parseObject(bytes, "a structured-mode CloudEvent (a JSON object)");
        String jobId = jobIdOf(ce).orElse(null);
        String typeText = ce.path("type").isTextual() ? ce.get("type").asText() : null;
        List<Problem> problems = new ArrayList<>(schemas.validateEnvelope(ce));
        Optional<EventType> type = EventType.fromCloudEventType(typeText);
        if (typeText != null && type.isEmpty()) {
            problems.add(new Problem("/type", "one of " + Arrays.stream(EventType.values())
                    .map(EventType::cloudEventType).toList(), SchemaProblems.render(ce.get("type"))));
        }
        JsonNode data = ce.get("data");
        if (type.isPresent() && data != null && data.isObject()) {
            problems.addAll(schemas.validate(type.get(), data, "/data"));
            JsonNode dataJobId = data.get("jobId");
            JsonNode subject = ce.get("subject");
            if (subject != null && dataJobId != null && !subject.equals(dataJobId)) {
                problems.add(new Problem("/subject", "the same job id as /data/jobId " + dataJobId,
                        SchemaProblems.render(subject)));
            }
            if (subject == null && dataJobId != null) {
                problems.add(new Problem("/subject", "the job id " + dataJobId + " (as in /data/jobId)", "nothing"));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidEventException("invalid " + (typeText == null ? "CloudEvent" : typeText), problems, jobId,
                    typeText);
        }
        NnftEvent event = bind(data, type.get(), "/data", jobId);
        List<Problem> ruleProblems = ruleProblems(event, "/data");
        if (!ruleProblems.isEmpty()) {
            throw new InvalidEventException("invalid " + typeText, ruleProblems, jobId, typeText);
        }
        Instant time = null;
        if (ce.hasNonNull("time")) {
            try {
                time = java.time.OffsetDateTime.parse(ce.get("time").asText()).toInstant();
            } catch (DateTimeParseException e) {
                throw new InvalidEventException("invalid " + typeText,
                        List.of(new Problem("/time", "an RFC 3339 date-time", SchemaProblems.render(ce.get("time")))),
                        jobId, typeText);
            }
        }
        return new Decoded(ce.get("id").asText(), ce.get("source").asText(), type.get(),
                ce.hasNonNull("subject") ? ce.get("subject").asText() : null, time, event);
    }

    /** {@link #decode(byte[])} expecting one type; another type is an InvalidEventException at /type. */
    public <T extends NnftEvent> T decode(byte[] bytes, Class<T> expected) {
        return decode(bytes).as(expected);
    }

    /**
     * Validates and binds a bare event (no envelope), e.g. a request body posted to the gateway or a
     * request.json read from storage. Problem pointers are relative to the body.
     */
    public static <T extends NnftEvent> T decodeData(byte[] json, Class<T> expected) {
        return decodeData(parseObject(json, "a JSON object (" + EventType.of(expected).eventName() + ")"), expected);
    }

    /** As {@link #decodeData(byte[], Class)} for an already parsed body. */
    public static <T extends NnftEvent> T decodeData(JsonNode data, Class<T> expected) {
        EventType type = EventType.of(expected);
        String jobId = data == null ? null
                : readableJobId(data.path("jobId").isTextual() ? data.get("jobId").asText() : null);
        if (data == null || !data.isObject()) {
            throw new InvalidEventException("invalid " + type.eventName(), List.of(new Problem("", "a JSON object",
                    SchemaProblems.render(data))), null, type.cloudEventType());
        }
        List<Problem> problems = EventSchemas.get().validate(type, data);
        if (!problems.isEmpty()) {
            throw new InvalidEventException("invalid " + type.eventName(), problems, jobId, type.cloudEventType());
        }
        NnftEvent event = bind(data, type, "", jobId);
        List<Problem> ruleProblems = ruleProblems(event, "");
        if (!ruleProblems.isEmpty()) {
            throw new InvalidEventException("invalid " + type.eventName(), ruleProblems, jobId, type.cloudEventType());
        }
        return expected.cast(event);
    }

    /** A bare event as validated JSON bytes (the inverse of {@link #decodeData(byte[], Class)}). */
    public static byte[] encodeData(NnftEvent event) {
        EventType type = EventType.of(event.getClass());
        JsonNode data = EventJson.mapper().valueToTree(event);
        List<Problem> problems = new ArrayList<>(EventSchemas.get().validate(type, data));
        if (problems.isEmpty()) {
            problems.addAll(ruleProblems(event, ""));
        }
        if (!problems.isEmpty()) {
            throw new InvalidEventException("refusing to encode an invalid " + type.eventName(), problems,
                    readableJobId(event.jobId()), type.cloudEventType());
        }
        try {
            return EventJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(data);
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot serialize " + type.eventName() + ": " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Best effort: the job id of a record, from its subject or data.jobId, when it matches the job-id
     * pattern; empty for garbage. For routing a record that {@link #decode} refused.
     */
    public static Optional<String> jobIdOf(byte[] bytes) {
        try {
            JsonNode tree = EventJson.mapper().readTree(bytes);
            return tree != null && tree.isObject() ? jobIdOf(tree) : Optional.empty();
        } catch (java.io.IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> jobIdOf(JsonNode ce) {
        JsonNode subject = ce.get("subject");
        if (subject != null && subject.isTextual() && JobId.isValid(subject.asText())) {
            return Optional.of(subject.asText());
        }
        JsonNode dataJobId = ce.path("data").get("jobId");
        if (dataJobId != null && dataJobId.isTextual() && JobId.isValid(dataJobId.asText())) {
            return Optional.of(dataJobId.asText());
        }
        return Optional.empty();
    }

    /** Cross-field rules of requests, wherever one travels (bare or inside a later stage's event). */
    private static List<Problem> ruleProblems(NnftEvent event, String prefix) {
        FineTuneRequested request = event instanceof FineTuneRequested r ? r
                : event instanceof PlansReady p ? p.request()
                : event instanceof PreprocessingCompleted p ? p.request()
                : event instanceof TrainingCompleted t ? t.request()
                : null;
        if (request == null) {
            return List.of();
        }
        return RequestRules.check(request, event instanceof FineTuneRequested ? prefix : prefix + "/request");
    }

    private static String readableJobId(String jobId) {
        return JobId.isValid(jobId) ? jobId : null;
    }

    private static NnftEvent bind(JsonNode data, EventType type, String where, String jobId) {
        try {
            return EventJson.mapper().treeToValue(data, type.javaClass());
        } catch (JacksonException | IllegalArgumentException e) {
            // The schema accepted it, so the record cannot hold what the schema allows (e.g. an integer beyond
            // int where the schema sets no maximum): still the caller's InvalidEventException, at the field.
            throw new InvalidEventException("invalid " + type.cloudEventType(), List.of(bindingProblem(e, data, where,
                    type)), jobId, type.cloudEventType());
        }
    }

    /** The field Jackson stopped at, what the record takes there, and the value found. */
    private static Problem bindingProblem(Exception e, JsonNode data, String where, EventType type) {
        JsonPointer at = e instanceof JsonMappingException jme ? pointer(jme.getPath())
                : e instanceof StreamReadException sre && sre.getProcessor() != null
                        ? sre.getProcessor().getParsingContext().pathAsPointer() : JsonPointer.empty();
        JsonNode found = data.at(at);
        // databind wraps the parser's InputCoercionException (with the path) in a JsonMappingException
        Class<?> target = e instanceof InputCoercionException ice ? ice.getTargetType()
                : e.getCause() instanceof InputCoercionException ice ? ice.getTargetType() : null;
        String expected = target == Integer.TYPE || target == Integer.class
                ? "an integer from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE
                : target == Long.TYPE || target == Long.class
                        ? "an integer from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE
                        : "a value " + type.javaClass().getSimpleName() + " can hold";
        String message = e instanceof JacksonException je ? je.getOriginalMessage() : e.getMessage();
        return new Problem(where + at, expected,
                found.isMissingNode() ? firstLine(message) : SchemaProblems.render(found));
    }

    private static JsonPointer pointer(List<JsonMappingException.Reference> path) {
        JsonPointer pointer = JsonPointer.empty();
        for (JsonMappingException.Reference r : path) {
            pointer = r.getFieldName() != null ? pointer.appendProperty(r.getFieldName()) : r.getIndex() >= 0
                    ? pointer.appendIndex(r.getIndex()) : pointer;
        }
        return pointer;
    }

    private static ObjectNode parseObject(byte[] bytes, String expected) {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidEventException("not a CloudEvent", List.of(new Problem("", expected,
                    bytes == null ? "null" : "0 bytes")), null, null);
        }
        JsonNode tree;
        try {
            tree = EventJson.mapper().readTree(bytes);
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            String position = at == null ? "" : " at line " + at.getLineNr() + " column " + at.getColumnNr();
            throw new InvalidEventException("not JSON", List.of(new Problem("", expected,
                    "invalid JSON" + position + " (" + firstLine(e.getOriginalMessage()) + "): " + preview(bytes))),
                    null, null);
        } catch (java.io.IOException | RuntimeException e) {
            throw new InvalidEventException("not JSON", List.of(new Problem("", expected,
                    "unreadable bytes (" + e + "): " + preview(bytes))), null, null);
        }
        if (tree == null || !tree.isObject()) {
            throw new InvalidEventException("not a CloudEvent", List.of(new Problem("", expected,
                    tree == null || tree.isMissingNode() ? "no JSON value" : SchemaProblems.render(tree))), null, null);
        }
        return (ObjectNode) tree;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** The first bytes, printable characters only, so a log line stays one line. */
    private static String preview(byte[] bytes) {
        String s = new String(bytes, 0, Math.min(bytes.length, 60), StandardCharsets.UTF_8);
        return "'" + s.replaceAll("[^\\x20-\\x7E]", "?") + (bytes.length > 60 ? "...'" : "'")
                + " (" + bytes.length + " bytes)";
    }
}
