package io.nnft.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Broken events give problems that name the field (JSON pointer), the rule, and what was found. */
class InvalidEventTest {

    private final EventCodec codec = EventCodec.forProducer("test");

    /** A valid FineTuneRequested CloudEvent from the example, mutated. */
    private byte[] requestEvent(Consumer<ObjectNode> mutateCloudEvent) {
        FineTuneRequested request =
                EventCodec.decodeData(Examples.of(EventType.FINE_TUNE_REQUESTED), FineTuneRequested.class);
        ObjectNode ce = (ObjectNode) Examples.tree(codec.encode(request));
        mutateCloudEvent.accept(ce);
        return ce.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static ObjectNode data(ObjectNode ce) {
        return (ObjectNode) ce.get("data");
    }

    private InvalidEventException decodeFails(byte[] bytes) {
        InvalidEventException e = catchThrowableOfType(InvalidEventException.class, () -> codec.decode(bytes));
        assertThat(e).as("decode should refuse %s", bytes == null ? "null" : new String(bytes, StandardCharsets.UTF_8))
                .isNotNull();
        assertThat(e.problems()).isNotEmpty();
        return e;
    }

    @Test
    void missingRequiredField() {
        InvalidEventException e = decodeFails(requestEvent(ce -> data(ce).remove("dataset")));
        assertThat(e.problems())
                .containsExactly(new Problem("/data/dataset", "required property 'dataset'", "nothing"));
        assertThat(e.jobId()).contains("heart-ft-001");
        assertThat(e.eventType()).contains("nnft.FineTuneRequested.v1");
        assertThat(e.getMessage()).contains("/data/dataset: expected required property 'dataset', found nothing");
    }

    @Test
    void badJobIdPatternInDataAndSubject() {
        InvalidEventException e = decodeFails(requestEvent(ce -> {
            data(ce).put("jobId", "Bad_Job");
            ce.put("subject", "Bad_Job");
        }));
        assertThat(e.problems()).contains(
                new Problem("/data/jobId", "a string matching ^[a-z0-9][a-z0-9-]{0,62}$", "string \"Bad_Job\""),
                new Problem("/subject", "a string matching ^[a-z0-9][a-z0-9-]{0,62}$", "string \"Bad_Job\""));
        assertThat(e.jobId()).as("an invalid job id is no key to publish JobFailed under").isEmpty();
        assertThat(e.toJobFailed(JobFailed.Stage.PLANNING)).isEmpty();
    }

    @Test
    void wrongEnumValue() {
        InvalidEventException e = decodeFails(requestEvent(ce -> data(ce).put("configuration", "3d_cascade_fullres")));
        assertThat(e.problems()).containsExactly(new Problem("/data/configuration",
                "one of [\"2d\",\"3d_fullres\",\"3d_lowres\"]", "string \"3d_cascade_fullres\""));
    }

    @Test
    void foldOutOfRange() {
        InvalidEventException e = decodeFails(requestEvent(ce -> data(ce).put("fold", 5)));
        assertThat(e.problems()).containsExactly(new Problem("/data/fold", "one of [0,1,2,3,4,\"all\"]", "integer 5"));
    }

    @Test
    void wrongType() {
        InvalidEventException e =
                decodeFails(requestEvent(ce -> ((ObjectNode) data(ce).get("budget")).put("epochs", "many")));
        assertThat(e.problems()).containsExactly(new Problem("/data/budget/epochs", "type integer", "string \"many\""));
    }

    @Test
    void numberBelowMinimum() {
        InvalidEventException e =
                decodeFails(requestEvent(ce -> ((ObjectNode) data(ce).get("budget")).put("epochs", 0)));
        assertThat(e.problems()).containsExactly(new Problem("/data/budget/epochs", "a number >= 1", "integer 0"));
    }

    @Test
    void extraPropertyIsNamedWithTheAllowedOnes() {
        InvalidEventException e =
                decodeFails(requestEvent(ce -> ((ObjectNode) data(ce).get("optimizer")).put("lr", 0.1)));
        assertThat(e.problems()).hasSize(1);
        Problem p = e.problems().get(0);
        assertThat(p.where()).isEqualTo("/data/optimizer/lr");
        assertThat(p.expected())
                .isEqualTo("no property 'lr' (allowed: initialLr, weightDecay, momentum, encoderLrFactor)");
        assertThat(p.found()).isEqualTo("number 0.1");
    }

    @Test
    void objectLocationRefusesTraversalAbsolutePathsAndOtherSchemes() {
        for (String bad : new String[] {"../etc/passwd", "datasets/../../x", "/datasets/x", "http://evil.example/x",
                "s3://nnft/datasets/../x", ""}) {
            InvalidEventException e = decodeFails(requestEvent(ce -> data(ce).put("dataset", bad)));
            assertThat(e.problems()).as(bad).extracting(Problem::where).containsOnly("/data/dataset");
        }
        for (String good : new String[] {"datasets/Dataset002_Heart/", "s3://nnft/datasets/Dataset002_Heart",
                "a..b/c"}) {
            assertThat(codec.decode(requestEvent(ce -> data(ce).put("dataset", good))).event())
                    .extracting(ev -> ((FineTuneRequested) ev).dataset()).isEqualTo(good);
        }
    }

    @Test
    void crossFieldRules() {
        InvalidEventException e = decodeFails(requestEvent(ce -> data(ce).set("freeze",
                Examples.tree("{\"policy\":\"prefixes\"}".getBytes(StandardCharsets.UTF_8)))));
        assertThat(e.problems())
                .containsExactly(new Problem("/data/freeze/prefixes", "required property 'prefixes'", "nothing"));

        e = decodeFails(requestEvent(ce -> data(ce).set("earlyStopping",
                Examples.tree("{\"metric\":\"auc\",\"patience\":3}".getBytes(StandardCharsets.UTF_8)))));
        assertThat(e.problems()).containsExactly(new Problem("/data/earlyStopping/metric",
                "one of [\"ema_pseudo_dice\",\"val_loss\"]", "string \"auc\""));
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        InvalidEventException e = decodeFails(requestEvent(ce -> {
            data(ce).remove("dataset");
            data(ce).put("task", "detection");
            data(ce).put("seed", -1);
        }));
        assertThat(e.problems()).extracting(Problem::where)
                .containsExactly("/data/dataset", "/data/seed", "/data/task");
    }

    @Test
    void envelopeProblems() {
        InvalidEventException e = decodeFails(requestEvent(ce -> {
            ce.put("specversion", "0.3");
            ce.remove("id");
            ce.put("datacontenttype", "text/plain");
        }));
        assertThat(e.problems()).containsExactly(
                new Problem("/datacontenttype",
                        "a string matching ^application/([A-Za-z0-9!#$&^_.-]+\\+)?json[ \\t]*(;.*)?$",
                        "string \"text/plain\""),
                new Problem("/id", "required property 'id'", "nothing"),
                new Problem("/specversion", "exactly \"1.0\"", "string \"0.3\""));
        assertThat(e.jobId()).contains("heart-ft-001");
    }

    @Test
    void datacontenttypeMayBeAbsentButNotOtherThanJson() {
        // CloudEvents 1.0: absent means application/json
        assertThat(codec.decode(requestEvent(ce -> ce.remove("datacontenttype"))).jobId()).isEqualTo("heart-ft-001");
        for (String json : new String[] {"application/json", "application/json; charset=utf-8",
                "application/vnd.nnft+json"}) {
            assertThat(codec.decode(requestEvent(ce -> ce.put("datacontenttype", json))).jobId()).as(json)
                    .isEqualTo("heart-ft-001");
        }
        for (String other : new String[] {"text/plain", "application/xml", "application/jsonl", "application/json-seq",
                ""}) {
            InvalidEventException e = decodeFails(requestEvent(ce -> ce.put("datacontenttype", other)));
            assertThat(e.problems()).as(other).extracting(Problem::where).containsExactly("/datacontenttype");
        }
        InvalidEventException e = decodeFails(requestEvent(ce -> ce.put("datacontenttype", 42)));
        assertThat(e.problems()).extracting(Problem::where).containsOnly("/datacontenttype");
    }

    @Test
    void unknownTypeStillYieldsTheJobId() {
        InvalidEventException e = decodeFails(requestEvent(ce -> ce.put("type", "nnft.SomethingElse.v1")));
        assertThat(e.problems()).hasSize(1);
        assertThat(e.problems().get(0).where()).isEqualTo("/type");
        assertThat(e.problems().get(0).expected()).contains("nnft.FineTuneRequested.v1", "nnft.JobCancelRequested.v1");
        assertThat(e.jobId()).contains("heart-ft-001");
    }

    @Test
    void jobIdIsReadFromDataWhenTheSubjectIsMissing() {
        InvalidEventException e = decodeFails(requestEvent(ce -> {
            ce.remove("subject");
            data(ce).put("fold", "five");
        }));
        assertThat(e.jobId()).contains("heart-ft-001");
        assertThat(e.problems()).extracting(Problem::where).containsExactly("/data/fold", "/subject");
    }

    @Test
    void subjectMustMatchTheDataJobId() {
        InvalidEventException e = decodeFails(requestEvent(ce -> ce.put("subject", "other-job")));
        assertThat(e.problems()).containsExactly(
                new Problem("/subject", "the same job id as /data/jobId \"heart-ft-001\"", "string \"other-job\""));
    }

    @Test
    void wrongExpectedTypeIsAnInvalidEvent() {
        byte[] bytes = requestEvent(ce -> { });
        InvalidEventException e = catchThrowableOfType(InvalidEventException.class,
                () -> codec.decode(bytes, PlansReady.class));
        assertThat(e.problems())
                .containsExactly(new Problem("/type", "nnft.PlansReady.v1", "nnft.FineTuneRequested.v1"));
        assertThat(e.jobId()).contains("heart-ft-001");
    }

    @Test
    void garbageBytesGiveAClearInvalidEvent() {
        String[] garbage = {"not json at all", "{\"specversion\": \"1.0\",", "[1,2,3]", "42", "null", "{} trailing",
                "\u0000\u0001\u00ff", "{\"a\":1,\"a\":2}"};
        for (String g : garbage) {
            InvalidEventException e = decodeFails(g.getBytes(StandardCharsets.ISO_8859_1));
            assertThat(e.problems()).as(g).hasSize(1);
            assertThat(e.problems().get(0).where()).isEqualTo("");
            assertThat(e.problems().get(0).expected()).isEqualTo("a structured-mode CloudEvent (a JSON object)");
            assertThat(e.jobId()).isEmpty();
        }
        assertThat(decodeFails(new byte[0]).problems().get(0).found()).isEqualTo("0 bytes");
        assertThat(decodeFails(null).problems().get(0).found()).isEqualTo("null");
        assertThat(decodeFails("not json at all".getBytes(StandardCharsets.UTF_8)).getMessage())
                .contains("invalid JSON at line 1 column", "'not json at all'");
    }

    @Test
    void emptyObjectListsEveryRequiredAttribute() {
        InvalidEventException e = decodeFails("{}".getBytes(StandardCharsets.UTF_8));
        assertThat(e.problems()).extracting(Problem::where)
                .containsExactly("/data", "/id", "/source", "/specversion", "/type");
    }

    @Test
    void producerBugsAreRefusedBeforePublishing() {
        TrainingProgress bad = new TrainingProgress("job-1", -1, 10, java.util.Map.of("loss", 1.0), null);
        assertThatThrownBy(() -> codec.encode(bad))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("/data/epoch: expected a number >= 0, found integer -1");
    }

    @Test
    void toJobFailedCarriesTheProblems() {
        InvalidEventException e = decodeFails(requestEvent(ce -> data(ce).remove("dataset")));
        JobFailed failed = e.toJobFailed(JobFailed.Stage.PLANNING).orElseThrow();
        assertThat(failed.jobId()).isEqualTo("heart-ft-001");
        assertThat(failed.retriable()).isFalse();
        assertThat(failed.problems()).isEqualTo(e.problems());
        assertThat(failed.reason()).contains("/data/dataset").contains("required property 'dataset'");
        assertThat(failed.eventType()).isEqualTo("nnft.FineTuneRequested.v1");
        // and it is itself a valid event
        JsonNode ce = Examples.tree(codec.encode(failed));
        assertThat(ce.get("subject").asText()).isEqualTo("heart-ft-001");
    }

    @Test
    void decodeDataPointsIntoTheBody() {
        InvalidEventException e = catchThrowableOfType(InvalidEventException.class, () -> EventCodec.decodeData(
                "{\"dataset\":\"datasets/x/\",\"fold\":9}".getBytes(StandardCharsets.UTF_8), FineTuneRequested.class));
        assertThat(e.problems()).containsExactly(new Problem("/fold", "one of [0,1,2,3,4,\"all\"]", "integer 9"));
    }

    @Test
    void freezeScheduleMustFitTheBudgetAndGoForward() {
        InvalidEventException e = decodeFails(requestEvent(ce -> {
            ((ObjectNode) data(ce).get("budget")).put("epochs", 80);
            ObjectNode second = (ObjectNode) data(ce).get("freeze").get("schedule").get(1);
            second.put("epoch", 40);
        }));
        assertThat(e.problems()).containsExactly(
                new Problem("/data/freeze/schedule/1/epoch", "an epoch after the previous step's 50", "integer 40"));

        e = decodeFails(requestEvent(ce -> ((ObjectNode) data(ce).get("budget")).put("epochs", 60)));
        assertThat(e.problems()).containsExactly(
                new Problem("/data/freeze/schedule/1/epoch", "an epoch below budget.epochs (60)", "integer 100"));
        assertThat(e.jobId()).contains("heart-ft-001");
    }

    @Test
    void prefixesNeedThePrefixesPolicy() {
        InvalidEventException e = catchThrowableOfType(InvalidEventException.class, () -> EventCodec.decodeData(
                "{\"dataset\":\"datasets/x/\",\"freeze\":{\"policy\":\"encoder\",\"prefixes\":[\"decoder\"]}}"
                        .getBytes(StandardCharsets.UTF_8), FineTuneRequested.class));
        assertThat(e.problems()).containsExactly(new Problem("/freeze/prefixes",
                "no prefixes unless policy is \"prefixes\" (policy is \"encoder\")", "array of 1"));
    }

    @Test
    void requestRulesApplyInsideLaterEventsToo() {
        PlansReady plans = EventCodec.decodeData(Examples.of(EventType.PLANS_READY), PlansReady.class);
        FineTuneRequested bad = plans.request().withDefaults();
        bad = new FineTuneRequested(bad.jobId(), bad.task(), bad.dataset(), bad.pretrained(), bad.splits(),
                bad.configuration(), bad.fold(), bad.seed(), new FineTuneRequested.Budget(10, null, null, null),
                bad.optimizer(), bad.earlyStopping(),
                new FineTuneRequested.Freeze(FineTuneRequested.Freeze.Policy.ENCODER, null, null,
                        java.util.List.of(new FineTuneRequested.UnfreezeStep(10, java.util.List.of(""), null, null))),
                bad.export(), bad.classification());
        PlansReady broken = new PlansReady(plans.jobId(), bad, plans.datasetName(), plans.plans(), plans.datasetJson(),
                plans.fingerprint(), plans.configuration(), plans.numTrainingCases(), plans.plansFromPretrained());
        assertThatThrownBy(() -> codec.encode(broken))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining(
                        "/data/request/freeze/schedule/0/epoch: expected an epoch below budget.epochs (10)");
    }
}
