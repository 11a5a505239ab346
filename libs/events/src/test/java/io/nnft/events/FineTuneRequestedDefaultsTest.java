package io.nnft.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** withDefaults() fills exactly the defaults the schema documents (walked from the schema, not restated). */
class FineTuneRequestedDefaultsTest {

    @Test
    void segmentationDefaultsAreTheSchemaDefaults() {
        FineTuneRequested filled = FineTuneRequested.of("datasets/Dataset002_Heart/").withDefaults();
        JsonNode json = EventJson.mapper().valueToTree(filled);
        Map<String, JsonNode> defaults = schemaDefaults();
        assertThat(defaults)
                .containsKeys("/budget/epochs", "/optimizer/initialLr", "/freeze/policy", "/export/checkpoint");
        defaults.forEach((pointer, value) -> {
            if (pointer.startsWith("/classification") || pointer.startsWith("/earlyStopping")) {
                assertThat(json.at(pointer).isMissingNode()).as("%s stays absent for segmentation", pointer).isTrue();
            } else {
                assertThat(Examples.sameJson(json.at(pointer), value))
                        .as("%s: %s vs schema %s", pointer, json.at(pointer), value).isTrue();
            }
        });
        assertThat(filled.budget()).isEqualTo(new FineTuneRequested.Budget(1000, 250, 50, 1));
        assertThat(filled.optimizer()).isEqualTo(new FineTuneRequested.Optimizer(0.01, 3e-5, 0.99, 1.0));
        assertThat(filled.fold()).isEqualTo(Fold.of(0));
        assertThat(filled.configuration()).isEqualTo(Configuration.THREE_D_FULLRES);
        assertThat(filled.earlyStopping()).isNull();
        assertThat(filled.jobId()).isNull();
        assertThat(EventSchemas.get().validate(EventType.FINE_TUNE_REQUESTED, json)).isEmpty();
    }

    @Test
    void classificationDefaults() {
        FineTuneRequested request = new FineTuneRequested(null, Task.CLASSIFICATION, "datasets/Dataset010_Grades/",
                null, null, null, null, null, null, null, new FineTuneRequested.EarlyStopping(null, 5, null),
                null, null, null);
        FineTuneRequested filled = request.withDefaults();
        JsonNode json = EventJson.mapper().valueToTree(filled);
        schemaDefaults().forEach((pointer, value) -> {
            if (!pointer.equals("/optimizer/initialLr") && !pointer.equals("/optimizer/momentum")
                    && !pointer.equals("/task")) {
                assertThat(Examples.sameJson(json.at(pointer), value))
                        .as("%s: %s vs schema %s", pointer, json.at(pointer), value).isTrue();
            }
        });
        assertThat(filled.optimizer().initialLr()).isEqualTo(1e-3);
        assertThat(filled.optimizer().momentum()).as("AdamW's beta1").isEqualTo(0.9);
        FineTuneRequested sgd = new FineTuneRequested(null, Task.CLASSIFICATION, "d/", null, null, null, null, null,
                null, null, null, null, null, new FineTuneRequested.Classification(null, null,
                        FineTuneRequested.Classification.Optimizer.SGD, null, null, null)).withDefaults();
        assertThat(sgd.optimizer().momentum()).isEqualTo(0.99);
        assertThat(sgd.optimizer().initialLr()).isEqualTo(1e-2);
        assertThat(filled.earlyStopping())
                .isEqualTo(new FineTuneRequested.EarlyStopping(
                        FineTuneRequested.EarlyStopping.Metric.BALANCED_ACCURACY, 5, 0.0));
        assertThat(filled.classification().head().skips()).isEmpty();
        assertThat(EventSchemas.get().validate(EventType.FINE_TUNE_REQUESTED, json)).isEmpty();
    }

    @Test
    void givenValuesAreKept() {
        FineTuneRequested example =
                EventCodec.decodeData(Examples.of(EventType.FINE_TUNE_REQUESTED), FineTuneRequested.class);
        FineTuneRequested filled = example.withDefaults();
        assertThat(filled.budget().epochs()).isEqualTo(300);
        assertThat(filled.optimizer().encoderLrFactor()).isEqualTo(0.1);
        assertThat(filled.freeze().policy()).isEqualTo(FineTuneRequested.Freeze.Policy.ENCODER);
        assertThat(filled.freeze().prefixes()).isEmpty();
        assertThat(filled.freeze().schedule()).hasSize(2);
        assertThat(filled.export().checkpoint()).isEqualTo(FineTuneRequested.Export.Checkpoint.BEST);
        assertThat(filled.withDefaults()).as("idempotent").isEqualTo(filled);
        assertThat(filled.withJobId("other").jobId()).isEqualTo("other");
    }

    @Test
    void generatedJobIdsAreValidAndDistinct() {
        String a = JobId.generate();
        String b = JobId.generate();
        assertThat(JobId.isValid(a)).isTrue();
        assertThat(a).isNotEqualTo(b);
        assertThat(EventSchemas.get().validate(EventType.FINE_TUNE_REQUESTED,
                EventJson.mapper().valueToTree(FineTuneRequested.of("datasets/x/").withJobId(a)))).isEmpty();
    }

    @Test
    void aRequestWithoutJobIdGetsOneDerivedFromItsEvent() {
        FineTuneRequested request = FineTuneRequested.of("datasets/x/");
        FineTuneRequested assigned = JobId.assign(request, "/nnft/cli", "e-1");
        assertThat(JobId.isValid(assigned.jobId())).isTrue();
        assertThat(assigned.jobId()).startsWith("job-");
        // the same event names the same job wherever and however often it is received
        assertThat(JobId.assign(request, "/nnft/cli", "e-1").jobId()).isEqualTo(assigned.jobId());
        assertThat(JobId.assign(request, "/nnft/cli", "e-2").jobId()).isNotEqualTo(assigned.jobId());
        assertThat(JobId.assign(request, "/nnft/gateway", "e-1").jobId()).isNotEqualTo(assigned.jobId());
        // a request that names its job keeps it
        assertThat(JobId.assign(request.withJobId("mine"), "/nnft/cli", "e-1").jobId()).isEqualTo("mine");
    }

    /** Pointer to "default" for every object property reachable from the root (arrays not entered). */
    private static Map<String, JsonNode> schemaDefaults() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        EventType type = EventType.FINE_TUNE_REQUESTED;
        collect(new SchemaWalker.Located(type.schemaFileName(), EventSchemas.get().schemaTree(type)), "", out);
        return out;
    }

    private static void collect(SchemaWalker.Located at, String path, Map<String, JsonNode> out) {
        at.node().path("properties").fields().forEachRemaining(e -> {
            String p = path + "/" + e.getKey();
            SchemaWalker.Located resolved = SchemaWalker.resolve(new SchemaWalker.Located(at.file(), e.getValue()));
            JsonNode def = e.getValue().has("default") ? e.getValue().get("default") : resolved.node().get("default");
            if (def != null) {
                out.put(p, def);
            }
            if (resolved.node().has("properties")) {
                collect(resolved, p, out);
            }
        });
    }

    @Test
    void foldParsing() {
        assertThat(Fold.parse("all").isAll()).isTrue();
        assertThat(Fold.parse(3)).isEqualTo(Fold.of(3));
        assertThat(Fold.parse("2")).isEqualTo(Fold.of(2));
        assertThat(Fold.ALL.toString()).isEqualTo("all");
        for (Object bad : List.of(5, -1, "five", 1.5)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Fold.parse(bad))
                    .hasMessageContaining("expected 0..4 or \"all\"");
        }
    }
}
