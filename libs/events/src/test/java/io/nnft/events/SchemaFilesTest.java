package io.nnft.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The schema files are valid draft 2020-12 and the README catalogue covers every topic and field. */
class SchemaFilesTest {

    @ParameterizedTest
    @ValueSource(strings = {"FineTuneRequested", "PlansReady", "PreprocessingCompleted", "TrainingProgress",
            "TrainingCompleted", "EncoderExported", "JobFailed", "JobCancelRequested", "common", "CloudEvent"})
    void isValidAgainstTheDraft202012MetaSchema(String name) {
        JsonSchema meta = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        JsonNode schema = EventSchemas.get().schemaTree(name + ".v1.schema.json");
        assertThat(meta.validate(schema)).isEmpty();
        // the meta-schema check has teeth: a broken keyword is refused
        assertThat(meta.validate(Examples.tree("{\"type\": 5, \"required\": \"x\"}".getBytes(StandardCharsets.UTF_8))))
                .isNotEmpty();
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void readmeListsTopicTypeAndEveryField(EventType type) throws IOException {
        String readme;
        try (InputStream in =
                getClass().getClassLoader().getResourceAsStream(EventType.SCHEMA_RESOURCE_BASE + "README.md")) {
            assertThat(in).as("README.md packaged with the schemas").isNotNull();
            readme = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(readme)
                .contains("`" + type.topic() + "`", "`" + type.cloudEventType() + "`", "### " + type.eventName());
        List<String> fields = new ArrayList<>();
        collect(new SchemaWalker.Located(type.schemaFileName(), EventSchemas.get().schemaTree(type)), "", fields);
        String section = readme.substring(readme.indexOf("### " + type.eventName() + "\n"));
        int next = section.indexOf("\n### ", 5);
        String own = next < 0 ? section : section.substring(0, next);
        for (String field : fields) {
            assertThat(own).as("README section %s lists %s", type.eventName(), field).contains("| `" + field + "` |");
        }
    }

    @Test
    void readmeIsTheOneInTheSchemasFolder() {
        assertThat(EventType.class.getClassLoader().getResource(EventType.SCHEMA_RESOURCE_BASE + "README.md"))
                .isNotNull();
    }

    private static void collect(SchemaWalker.Located at, String prefix, List<String> out) {
        at.node().path("properties").fields().forEachRemaining(e -> {
            String name = prefix + e.getKey();
            out.add(name);
            if (e.getValue().path("$ref").asText().equals("FineTuneRequested.v1.schema.json")) {
                return; // documented in its own section
            }
            SchemaWalker.Located r = SchemaWalker.resolve(new SchemaWalker.Located(at.file(), e.getValue()));
            if (r.node().has("properties")) {
                collect(r, name + ".", out);
            }
            if (r.node().has("items")) {
                SchemaWalker.Located item =
                        SchemaWalker.resolve(new SchemaWalker.Located(r.file(), r.node().get("items")));
                if (item.node().has("properties")) {
                    collect(item, name + "[].", out);
                }
            }
        });
    }
}
