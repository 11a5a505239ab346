package io.nnft.events;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * nnft's event contracts: for each event its name, Kafka topic, CloudEvent type, Java class and JSON
 * Schema. Topics are {@code nnft.<kebab-case name>}, types {@code nnft.<Name>.v1}; the Kafka key of every
 * record is the job id.
 */
public enum EventType {
    FINE_TUNE_REQUESTED("FineTuneRequested", FineTuneRequested.class),
    PLANS_READY("PlansReady", PlansReady.class),
    PREPROCESSING_COMPLETED("PreprocessingCompleted", PreprocessingCompleted.class),
    TRAINING_STARTED("TrainingStarted", TrainingStarted.class),
    TRAINING_PROGRESS("TrainingProgress", TrainingProgress.class),
    TRAINING_COMPLETED("TrainingCompleted", TrainingCompleted.class),
    ENCODER_EXPORTED("EncoderExported", EncoderExported.class),
    JOB_FAILED("JobFailed", JobFailed.class),
    JOB_CANCEL_REQUESTED("JobCancelRequested", JobCancelRequested.class);

    /** Where records that failed validation go, unchanged, with the reason in headers ({@link DeadLetter}). */
    public static final String DEAD_LETTER_TOPIC = "nnft.dead-letter";

    /** Version of every contract in this enum. */
    public static final int VERSION = 1;

    /** Prefix of the schemas' {@code $id}s. */
    public static final String SCHEMA_ID_BASE = "https://nnft.io/schemas/";

    /** Classpath folder of the schemas (packaged from the top-level {@code schemas/} folder). */
    public static final String SCHEMA_RESOURCE_BASE = "nnft/schemas/";

    private final String eventName;
    private final Class<? extends NnftEvent> javaClass;

    EventType(String eventName, Class<? extends NnftEvent> javaClass) {
        this.eventName = eventName;
        this.javaClass = javaClass;
    }

    /** e.g. {@code FineTuneRequested}. */
    public String eventName() {
        return eventName;
    }

    /** e.g. {@code nnft.fine-tune-requested}. */
    public String topic() {
        return "nnft." + eventName.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    /** e.g. {@code nnft.FineTuneRequested.v1}. */
    public String cloudEventType() {
        return "nnft." + eventName + ".v" + VERSION;
    }

    public Class<? extends NnftEvent> javaClass() {
        return javaClass;
    }

    /** e.g. {@code FineTuneRequested.v1.schema.json}. */
    public String schemaFileName() {
        return eventName + ".v" + VERSION + ".schema.json";
    }

    /** Classpath resource, e.g. {@code nnft/schemas/FineTuneRequested.v1.schema.json}. */
    public String schemaResource() {
        return SCHEMA_RESOURCE_BASE + schemaFileName();
    }

    /** The schema's {@code $id}, e.g. {@code https://nnft.io/schemas/FineTuneRequested.v1.schema.json}. */
    public String schemaId() {
        return SCHEMA_ID_BASE + schemaFileName();
    }

    /** Classpath resource of the bundled example, e.g. {@code nnft/schemas/examples/FineTuneRequested.json}. */
    public String exampleResource() {
        return SCHEMA_RESOURCE_BASE + "examples/" + eventName + ".json";
    }

    public static EventType of(Class<?> javaClass) {
        return Arrays.stream(values()).filter(t -> t.javaClass == javaClass).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not an nnft event class: expected one of "
                        + Arrays.toString(values()) + ", found " + javaClass));
    }

    public static Optional<EventType> fromCloudEventType(String type) {
        return Arrays.stream(values()).filter(t -> t.cloudEventType().equals(type)).findFirst();
    }

    public static Optional<EventType> fromTopic(String topic) {
        return Arrays.stream(values()).filter(t -> t.topic().equals(topic)).findFirst();
    }

    /** Every event topic (without the dead-letter topic). */
    public static List<String> topics() {
        return Arrays.stream(values()).map(EventType::topic).toList();
    }
}
