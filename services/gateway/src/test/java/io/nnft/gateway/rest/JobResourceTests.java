package io.nnft.gateway.rest;

import static io.nnft.gateway.rest.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import io.nnft.events.Decoded;
import io.nnft.events.EventCodec;
import io.nnft.events.EventType;
import io.nnft.events.FineTuneRequested;
import io.nnft.events.JobId;
import io.nnft.gateway.GatewayChannels;
import io.nnft.services.testing.InMemoryTopics;
import io.nnft.services.testing.RealS3;
import io.nnft.services.testing.Topics;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** POST /jobs: what is accepted is published on the topic, what is not is a 400 naming the field. */
@QuarkusTest
@WithTestResource(GatewayChannels.class)
class JobResourceTests {
    @Inject
    @Any
    InMemoryConnector connector;

    private static final String TOPIC = EventType.FINE_TUNE_REQUESTED.topic();

    @Test
    void acceptedRequestIsPublishedWithDefaultsKeyedByJobId() {
        String jobId = given().contentType("application/json")
                .body("{\"jobId\":\"gw-accept-1\",\"dataset\":\"s3://" + RealS3.store().bucket()
                        + "/datasets/Dataset001_Demo/\",\"fold\":\"all\"}")
                .post("/jobs")
                .then().statusCode(202).body("jobId", equalTo("gw-accept-1"))
                .extract().path("jobId");
        try (Topics topics = new InMemoryTopics(connector)) {
            var record = topics.await(TOPIC, r -> jobId.equals(r.key()), 1, Duration.ofSeconds(30)).get(0);
            Decoded decoded = new EventCodec("/test").decode(record.value());
            FineTuneRequested published = decoded.as(FineTuneRequested.class);
            assertThat(decoded.subject()).isEqualTo(jobId);
            assertThat(published.fold().isAll()).isTrue();
            assertThat(published.budget().epochs()).isEqualTo(1000);
            assertThat(published.optimizer().initialLr()).isEqualTo(1e-2);
        }
    }

    @Test
    void jobIdIsAssignedWhenAbsent() {
        String jobId = given().contentType("application/json").body("{\"dataset\":\"datasets/Dataset001_Demo/\"}")
                .post("/jobs")
                .then().statusCode(202).body("jobId", matchesPattern("^[a-z0-9][a-z0-9-]{0,62}$"))
                .extract().path("jobId");
        try (Topics topics = new InMemoryTopics(connector)) {
            var record = topics.await(TOPIC, r -> jobId.equals(r.key()), 1, Duration.ofSeconds(30)).get(0);
            Decoded decoded = new EventCodec("/test").decode(record.value());
            // assigned as the planner assigns one to a request that comes without (JobId.assign)
            assertThat(JobId.forEvent(decoded.source(), decoded.id())).isEqualTo(jobId);
            assertThat(decoded.jobId()).isEqualTo(jobId);
        }
    }

    @Test
    void schemaViolationsAreProblemsNamingTheField() {
        given().contentType("application/json").body("{\"jobId\":\"Bad_Id\",\"dataset\":\"datasets/Dataset001_Demo/\"}")
                .post("/jobs")
                .then().statusCode(400).contentType("application/problem+json")
                .body("problems.where", hasItem("/jobId"));
        given().contentType("application/json").body("{\"dataset\":\"datasets/Dataset001_Demo/\",\"fold\":7}")
                .post("/jobs")
                .then().statusCode(400).body("problems.where", hasItem("/fold"));
        given().contentType("application/json").body("not json")
                .post("/jobs")
                .then().statusCode(400).body("title", equalTo("invalid fine-tune request"));
    }

    @Test
    void numbersPastTheirBoundsAre400NamingFieldAndBound() {
        // once read as 'Numeric value out of range of int' at the root; a billion iterations were accepted
        given().contentType("application/json").body("{\"dataset\":\"datasets/Dataset001_Demo/\",\"budget\":{\"epochs\":1e12}}")
                .post("/jobs")
                .then().statusCode(400).contentType("application/problem+json")
                .body("problems.where", contains("/budget/epochs"))
                .body("problems[0].expected", equalTo("a number <= 10000"))
                .body("detail", equalTo("/budget/epochs: expected a number <= 10000, found integer 1000000000000"));
        given().contentType("application/json")
                .body("{\"dataset\":\"datasets/Dataset001_Demo/\",\"budget\":{\"iterationsPerEpoch\":1e9}}")
                .post("/jobs")
                .then().statusCode(400).contentType("application/problem+json")
                .body("problems.where", contains("/budget/iterationsPerEpoch"))
                .body("detail", containsString("<= 100000"));
        given().contentType("application/json")
                .body("{\"dataset\":\"datasets/Dataset001_Demo/\",\"optimizer\":{\"initialLr\":1e400}}")
                .post("/jobs")
                .then().statusCode(400).body("problems.where", contains("/optimizer/initialLr"));
    }

    @Test
    void locationsOutsideOurBucketAreRefused() {
        given().contentType("application/json").body("{\"dataset\":\"s3://someone-else/datasets/D/\"}")
                .post("/jobs")
                .then().statusCode(400).body("problems.where", hasItem("/dataset"));
        given().contentType("application/json")
                .body("{\"dataset\":\"datasets/Dataset001_Demo/\",\"pretrained\":\"https://evil.example/model\"}")
                .post("/jobs")
                .then().statusCode(400).body("problems.where", hasItem("/pretrained"));
    }

    @Test
    void severalDatasetsFanOutToOneJobEachWithTheSamePretrainedModel() {
        String bucket = RealS3.store().bucket();
        var response = given().contentType("application/json")
                .body("{\"jobId\":\"gw-fan\",\"pretrained\":\"models/Base/\",\"fold\":1,"
                        + "\"budget\":{\"epochs\":7},\"datasets\":[\"datasets/Dataset002_A/\","
                        + "\"s3://" + bucket + "/datasets/Dataset003_B/\",\"datasets/Dataset004_C/\"]}")
                .post("/jobs")
                .then().statusCode(202)
                .body("jobs.jobId", org.hamcrest.Matchers.contains("gw-fan-1", "gw-fan-2", "gw-fan-3"))
                .body("jobId", org.hamcrest.Matchers.nullValue())
                .extract();
        assertThat(response.<String>path("jobs[1].dataset")).isEqualTo("s3://" + bucket + "/datasets/Dataset003_B/");
        try (Topics topics = new InMemoryTopics(connector)) {
            var records = topics.await(TOPIC, r -> r.key().startsWith("gw-fan-"), 3, Duration.ofSeconds(30));
            var published = records.stream().map(r -> new EventCodec("/test").decode(r.value(), FineTuneRequested.class))
                    .toList();
            assertThat(published).extracting(FineTuneRequested::dataset).containsExactlyInAnyOrder(
                    "datasets/Dataset002_A/", "s3://" + bucket + "/datasets/Dataset003_B/", "datasets/Dataset004_C/");
            // one architecture for all: same pretrained model and the same settings, only dataset and id differ
            assertThat(published).allSatisfy(r -> {
                assertThat(r.pretrained()).isEqualTo("models/Base/");
                assertThat(r.fold().index()).isEqualTo(1);
                assertThat(r.budget().epochs()).isEqualTo(7);
                assertThat(settings(r)).isEqualTo(settings(published.get(0)));
            });
        }
        given().get("/jobs/gw-fan-2").then().statusCode(200)
                .body("stage", equalTo("requested")).body("dataset", equalTo("s3://" + bucket + "/datasets/Dataset003_B/"));
    }

    @Test
    void fanOutProblemsPointIntoTheBodyAsPosted() {
        given().contentType("application/json")
                .body("{\"datasets\":[\"datasets/Dataset002_A/\",\"/abs/path\",\"datasets/Dataset002_A/\"]}")
                .post("/jobs")
                .then().statusCode(400)
                .body("problems.where", hasItem("/pretrained"));
        given().contentType("application/json")
                .body("{\"pretrained\":\"models/Base/\",\"datasets\":[\"datasets/Dataset002_A/\",\"/abs/path\","
                        + "\"datasets/Dataset002_A/\",\"s3://other/datasets/X/\"]}")
                .post("/jobs")
                .then().statusCode(400)
                .body("problems.where", hasItem("/datasets/1"))
                .body("problems.where", hasItem("/datasets/2"));
        given().contentType("application/json")
                .body("{\"pretrained\":\"models/Base/\",\"datasets\":[\"datasets/Dataset002_A/\","
                        + "\"s3://other/datasets/X/\"]}")
                .post("/jobs")
                .then().statusCode(400)
                .body("problems.where", org.hamcrest.Matchers.contains("/datasets/1"));
        given().contentType("application/json").body("{\"pretrained\":\"models/Base/\",\"datasets\":[]}")
                .post("/jobs")
                .then().statusCode(400).contentType("application/problem+json").body("problems.where", hasItem("/datasets"));
        given().contentType("application/json")
                .body("{\"pretrained\":\"models/B/\",\"dataset\":\"datasets/Dataset002_A/\",\"datasets\":[\"datasets/Dataset003_B/\"]}")
                .post("/jobs")
                .then().statusCode(400).body("problems.where", hasItem("/dataset"));
    }

    @Test
    void aJobIdIsUsedOnce() {
        String body = "{\"jobId\":\"gw-twice\",\"dataset\":\"datasets/Dataset001_Demo/\"}";
        given().contentType("application/json").body(body).post("/jobs").then().statusCode(202);
        given().contentType("application/json").body(body).post("/jobs")
                .then().statusCode(409).contentType("application/problem+json").body("problems.where", hasItem("/jobId"));
    }

    @Test
    void anAcceptedJobIsKnownAtOnceAndAnUnknownOneIs404() {
        given().contentType("application/json").body("{\"jobId\":\"gw-known\",\"dataset\":\"datasets/Dataset001_Demo/\"}")
                .post("/jobs").then().statusCode(202);
        given().get("/jobs/gw-known").then().statusCode(200).body("stage", equalTo("requested"))
                .body("epochs", equalTo(1000)).body("configuration", equalTo("3d_fullres"));
        given().get("/jobs").then().statusCode(200).body("jobs.jobId", hasItem("gw-known"));
        given().get("/jobs/no-such-job").then().statusCode(404).contentType("application/problem+json")
                .body("problems.where", hasItem("id"));
        given().get("/jobs/NOT_AN_ID/artifacts").then().statusCode(404);
        given().delete("/jobs/no-such-job").then().statusCode(404);
        given().get("/jobs/no-such-job/events").then().statusCode(404);
    }

    @Test
    void tracingIsOffWithoutAnOtlpEndpoint() {
        given().contentType("application/json").body("{\"jobId\":\"gw-untraced\",\"dataset\":\"datasets/Dataset001_Demo/\"}")
                .post("/jobs").then().statusCode(202);
        given().get("/jobs/gw-untraced").then().statusCode(200).body("$", not(hasKey("traceId")));
        try (Topics topics = new InMemoryTopics(connector)) {
            var record = topics.await(TOPIC, r -> "gw-untraced".equals(r.key()), 1, Duration.ofSeconds(30)).get(0);
            assertThat(record.headers().lastHeader("traceparent")).as("no trace context on the record").isNull();
        }
    }

    /** A request without what differs between fanned-out jobs. */
    private static com.fasterxml.jackson.databind.JsonNode settings(FineTuneRequested r) {
        var tree = io.nnft.events.EventJson.mapper().<com.fasterxml.jackson.databind.node.ObjectNode>valueToTree(r);
        tree.remove("jobId");
        tree.remove("dataset");
        return tree;
    }
}
