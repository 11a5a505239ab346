package io.nnft.gateway.rest;

import static io.nnft.gateway.rest.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.nnft.events.EventCodec;
import io.nnft.events.JobFailed;
import io.nnft.events.PlansReady;
import io.nnft.events.TrainingProgress;
import io.nnft.events.TrainingStarted;
import io.nnft.events.EventType;
import io.nnft.gateway.GatewayChannels;
import io.nnft.services.testing.InMemoryTopics;
import io.nnft.services.testing.Topics;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.ProducerRecord;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the dashboard reads, at the API level (the browser test drives the page itself where Chromium is
 * installed): the page and its chart library without a key, and a job's timeline — every event once, in the
 * order applied, with its time, the stage it left the job in and its data (the curves' points).
 */
@QuarkusTest
@WithTestResource(GatewayChannels.class)
class DashboardTests {
    private static final Duration WAIT = Duration.ofSeconds(45);

    @Inject
    @Any
    InMemoryConnector connector;

    @Test
    void thePageAndItsChartLibraryAreServedWithoutAKeyButTheDataIsNot() {
        RestAssured.given().get("/dashboard/").then().statusCode(200)
                .body(containsString("dashboard.js")).body(containsString("uPlot.iife.min.js"));
        RestAssured.given().get("/dashboard/dashboard.js").then().statusCode(200)
                .body(containsString("sessionStorage"));
        RestAssured.given().get("/webjars/uplot/1.6.30/dist/uPlot.iife.min.js").then().statusCode(200)
                .body(containsString("uPlot"));
        RestAssured.given().get("/jobs").then().statusCode(401);
        RestAssured.given().get("/jobs/gw-timeline-1/timeline").then().statusCode(401);
    }

    @Test
    void theTimelineHoldsEveryEventOnceWithItsTimeAndTheStageAfterIt() {
        String id = "gw-timeline-1";
        given().contentType("application/json").body("{\"jobId\":\"" + id + "\",\"dataset\":\"datasets/Dataset002_Heart/\","
                + "\"budget\":{\"epochs\":300},\"freeze\":{\"policy\":\"encoder\",\"schedule\":[{\"epoch\":2,"
                + "\"unfreezePrefixes\":[\"encoder.\"],\"lrFactor\":0.5}]}}").post("/jobs").then().statusCode(202);
        EventCodec codec = new EventCodec("/nnft/test-stage");
        TrainingProgress epoch41 = Api.example(TrainingProgress.class, id);
        Map<String, Double> next = new HashMap<>(epoch41.metrics());
        next.put("ema_pseudo_dice", 0.86);
        TrainingProgress epoch42 = new TrainingProgress(id, 42, 300, next, 1000.0);
        byte[] epoch42Record = codec.encode(epoch42);
        try (Topics topics = new InMemoryTopics(connector)) {
            // the gateway follows its own requests' topic too: the broker would hand the record back
            var request = topics.await(EventType.FINE_TUNE_REQUESTED.topic(), r -> id.equals(r.key()), 1, WAIT).get(0);
            topics.publish(new ProducerRecord<>(request.topic(), request.key(), request.value()));
            Api.publish(topics, Api.example(PlansReady.class, id));
            Api.publish(topics, Api.example(TrainingStarted.class, id));
            Api.publish(topics, epoch41);
            topics.publish(epoch42.type().topic(), id, epoch42Record);
            // a redelivery: the same CloudEvent again
            topics.publish(epoch42.type().topic(), id, epoch42Record);
            Api.await("both epochs applied", WAIT, () -> given().get("/jobs/" + id).then().extract()
                    .path("epoch") instanceof Integer e && e == 42);
            Api.publish(topics, JobFailed.of(id, JobFailed.Stage.TRAINING, "CUDA out of memory", true));
            Api.await("failed", WAIT, () -> "failed".equals(given().get("/jobs/" + id).then().extract().path("stage")));
        }
        JsonPath t = given().get("/jobs/" + id + "/timeline").then().statusCode(200)
                .body("jobId", equalTo(id)).extract().jsonPath();
        List<String> events = t.getList("events.event");
        assertThat(events).containsOnlyOnce("FineTuneRequested", "PlansReady", "TrainingStarted", "JobFailed");
        assertThat(events.stream().filter("TrainingProgress"::equals)).as("the redelivered epoch once").hasSize(2);
        assertThat(t.getList("events.seq", Integer.class)).isSorted().doesNotHaveDuplicates();
        assertThat(t.getList("events.time", String.class)).allMatch(s -> s != null && s.contains("T"));
        int failed = events.indexOf("JobFailed");
        assertThat(t.getString("events[" + failed + "].stage")).isEqualTo("failed");
        assertThat(t.getString("events[" + failed + "].data.reason")).isEqualTo("CUDA out of memory");
        int request = events.indexOf("FineTuneRequested");
        assertThat(t.getInt("events[" + request + "].data.freeze.schedule[0].epoch")).as("the freeze phases").isEqualTo(2);
        List<Map<String, Object>> progress = t.getList("events.findAll { it.event == 'TrainingProgress' }.data");
        assertThat(progress).extracting(p -> p.get("epoch")).containsExactlyInAnyOrder(41, 42);
        assertThat(progress).extracting(p -> ((Number) ((Map<?, ?>) p.get("metrics")).get("ema_pseudo_dice")).floatValue())
                .containsExactlyInAnyOrder(0.8542f, 0.86f);
        given().get("/jobs/no-such-job/timeline").then().statusCode(404);
    }
}
