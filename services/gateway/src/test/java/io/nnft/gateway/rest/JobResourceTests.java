package io.nnft.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;

import io.nnft.events.Decoded;
import io.nnft.events.EventCodec;
import io.nnft.events.EventType;
import io.nnft.events.FineTuneRequested;
import io.nnft.services.testing.RealKafkaAndS3;
import io.nnft.services.testing.TopicClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** POST /jobs over a real Kafka broker: what is accepted is on the topic, what is not is a 400 naming the field. */
@QuarkusTest
@QuarkusTestResource(RealKafkaAndS3.class)
class JobResourceTests {
    private static final String TOPIC = EventType.FINE_TUNE_REQUESTED.topic();

    @Test
    void acceptedRequestIsPublishedWithDefaultsKeyedByJobId() {
        String jobId = given().contentType("application/json")
                .body("{\"jobId\":\"gw-accept-1\",\"dataset\":\"s3://" + RealKafkaAndS3.store().bucket()
                        + "/datasets/Dataset001_Demo/\",\"fold\":\"all\"}")
                .post("/jobs")
                .then().statusCode(202).body("jobId", equalTo("gw-accept-1"))
                .extract().path("jobId");
        try (TopicClient topics = new TopicClient(RealKafkaAndS3.bootstrapServers())) {
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
        given().contentType("application/json").body("{\"dataset\":\"datasets/Dataset001_Demo/\"}")
                .post("/jobs")
                .then().statusCode(202).body("jobId", matchesPattern("^[a-z0-9][a-z0-9-]{0,62}$"));
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
    void locationsOutsideOurBucketAreRefused() {
        given().contentType("application/json").body("{\"dataset\":\"s3://someone-else/datasets/D/\"}")
                .post("/jobs")
                .then().statusCode(400).body("problems.where", hasItem("/dataset"));
        given().contentType("application/json")
                .body("{\"dataset\":\"datasets/Dataset001_Demo/\",\"pretrained\":\"https://evil.example/model\"}")
                .post("/jobs")
                .then().statusCode(400).body("problems.where", hasItem("/pretrained"));
    }
}
