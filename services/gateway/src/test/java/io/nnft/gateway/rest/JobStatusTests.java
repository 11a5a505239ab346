package io.nnft.gateway.rest;

import static io.nnft.gateway.rest.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.nnft.events.DeadLetter;
import io.nnft.events.EncoderExported;
import io.nnft.events.EventCodec;
import io.nnft.events.EventType;
import io.nnft.events.FineTuneRequested;
import io.nnft.events.JobCancelRequested;
import io.nnft.events.JobFailed;
import io.nnft.events.JobId;
import io.nnft.events.PlansReady;
import io.nnft.events.PreprocessingCompleted;
import io.nnft.events.TrainingCompleted;
import io.nnft.events.TrainingProgress;
import io.nnft.events.TrainingStarted;
import io.nnft.gateway.GatewayChannels;
import io.nnft.gateway.service.JobViews;
import io.nnft.services.testing.InMemoryTopics;
import io.nnft.services.testing.RealS3;
import io.nnft.services.testing.Topics;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** Job state built from the events on the gateway's channels: GET, SSE, artifacts, cancel, dead letters. */
@QuarkusTest
@WithTestResource(GatewayChannels.class)
class JobStatusTests {
    private static final Duration WAIT = Duration.ofSeconds(45);

    @TestHTTPResource("/")
    URL base;

    @Inject
    @Any
    InMemoryConnector connector;

    private static void submit(String jobId) {
        given().contentType("application/json")
                .body("{\"jobId\":\"" + jobId + "\",\"dataset\":\"datasets/Dataset002_Heart/\",\"budget\":{\"epochs\":300}}")
                .post("/jobs").then().statusCode(202);
    }

    private static String stage(String jobId) {
        return given().get("/jobs/" + jobId).then().statusCode(200).extract().path("stage");
    }

    @Test
    void theViewFollowsEveryStageAndIsPersisted() {
        String id = "gw-status-1";
        submit(id);
        try (Topics topics = new InMemoryTopics(connector)) {
            Api.publish(topics, Api.example(PlansReady.class, id));
            Api.publish(topics, Api.example(PreprocessingCompleted.class, id));
            // claimed by a trainer: training before any epoch has ended
            Api.publish(topics, Api.example(TrainingStarted.class, id));
            Api.await("training stage on the claim", WAIT, () -> "training".equals(stage(id)));
            given().get("/jobs/" + id).then().body("epoch", org.hamcrest.Matchers.nullValue());
            Api.publish(topics, Api.example(TrainingProgress.class, id));
            // three topics, three consumers: wait until each has been read
            Api.await("training stage with plans and an epoch", WAIT, () -> "training".equals(stage(id))
                    && given().get("/jobs/" + id).then().extract().path("datasetName") != null
                    && given().get("/jobs/" + id).then().extract().path("epoch") != null);
            given().get("/jobs/" + id).then()
                    .body("epoch", equalTo(41)).body("epochs", equalTo(300))
                    .body("metrics.ema_pseudo_dice", equalTo(0.8542f))
                    .body("datasetName", equalTo("Dataset002_Heart"));
            Api.publish(topics, Api.example(TrainingCompleted.class, id));
            Api.publish(topics, Api.example(EncoderExported.class, id));
            Api.await("exported stage", WAIT, () -> "exported".equals(stage(id)));
        }
        given().get("/jobs/" + id).then()
                .body("artifacts.name", hasItem("encoder.safetensors"))
                .body("finishedAt", org.hamcrest.Matchers.notNullValue());
        String snapshot = new String(RealS3.store().getBytes(JobViews.statusKey(id)), StandardCharsets.UTF_8);
        assertThat(snapshot).contains("\"stage\" : \"exported\"").contains("encoder.safetensors");
        given().get("/jobs?stage=exported").then().body("jobs.jobId", hasItem(id));
    }

    @Test
    void eventsStreamLiveUntilTheJobEnds() throws Exception {
        String id = "gw-sse-1";
        submit(id);
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "jobs/" + id + "/events"))
                .header("Authorization", "Bearer " + Api.TOKEN).header("Accept", "text/event-stream").build();
        CompletableFuture<HttpResponse<Stream<String>>> response = http.sendAsync(request,
                HttpResponse.BodyHandlers.ofLines());
        HttpResponse<Stream<String>> r = response.get(30, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        CompletableFuture<List<String>> lines = CompletableFuture.supplyAsync(() -> r.body().toList());
        try (Topics topics = new InMemoryTopics(connector)) {
            Thread.sleep(500);
            Api.publish(topics, Api.example(TrainingProgress.class, id));
            // another topic, another consumer: without this wait the failure may be read first and end the stream
            Api.await("training stage", WAIT, () -> "training".equals(stage(id)));
            Api.publish(topics, JobFailed.of(id, JobFailed.Stage.TRAINING, "CUDA out of memory", true));
        }
        List<String> all = lines.get(45, TimeUnit.SECONDS).stream().map(JobStatusTests::field).toList();
        assertThat(all).containsSubsequence("event:status", "event:TrainingProgress", "event:JobFailed");
        assertThat(all).noneMatch(l -> l.startsWith("content-type:"));
        assertThat(all.stream().filter(l -> l.startsWith("data:")).toList().get(0)).contains("\"stage\":\"requested\"");
        assertThat(all).anySatisfy(l -> assertThat(l).startsWith("data:").contains("\"CUDA out of memory\"")
                .contains("\"stage\":\"failed\""));
        // a finished job's stream is its status, then the end
        String ended = given().get("/jobs/" + id + "/events").then().statusCode(200).extract().asString();
        assertThat(ended.lines().map(JobStatusTests::field).toList()).contains("event:status");
        assertThat(ended).contains("\"stage\":\"failed\"").doesNotContain("event:JobFailed");
    }

    @Test
    void artifactsAreExportAndCheckpointsWithWorkingUrls() throws Exception {
        String id = "gw-art-1";
        submit(id);
        var store = RealS3.store();
        store.put("jobs/" + id + "/export/encoder.safetensors", "ENCODER".getBytes(StandardCharsets.UTF_8), "application/octet-stream");
        store.put("jobs/" + id + "/export/nnunet_model/plans.json", "{}".getBytes(StandardCharsets.UTF_8), "application/json");
        store.put("jobs/" + id + "/model/fold_0/checkpoint_final.pth", "FINAL".getBytes(StandardCharsets.UTF_8), "application/octet-stream");
        store.put("jobs/" + id + "/model/plans.json", "{}".getBytes(StandardCharsets.UTF_8), "application/json");
        store.put("jobs/" + id + "/preprocessed/3d_fullres/a.npy", new byte[3], "application/octet-stream");
        var listing = given().get("/jobs/" + id + "/artifacts").then().statusCode(200).extract().jsonPath();
        assertThat(listing.getList("artifacts.name", String.class)).containsExactly("export/encoder.safetensors",
                "export/nnunet_model/plans.json", "model/fold_0/checkpoint_final.pth");
        assertThat(listing.getList("artifacts.kind", String.class)).containsExactly("export", "export", "checkpoint");
        String url = listing.getString("artifacts[0].url");
        HttpResponse<String> download = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo("ENCODER");
        assertThat(listing.getString("expiresAt")).isNotBlank();
    }

    @Test
    void cancelPublishesTheRequestAndPurgeDeletesTheObjects() {
        String id = "gw-cancel-1";
        submit(id);
        RealS3.store().put("jobs/" + id + "/plans/plans.json", "{}".getBytes(StandardCharsets.UTF_8), "application/json");
        given().queryParam("purge", true).queryParam("reason", "wrong dataset").delete("/jobs/" + id).then().statusCode(202)
                .body("status", equalTo("cancel-requested")).body("purgedObjects", org.hamcrest.Matchers.greaterThan(0));
        assertThat(RealS3.store().exists("jobs/" + id + "/plans/plans.json")).isFalse();
        try (Topics topics = new InMemoryTopics(connector)) {
            var record = topics.await(EventType.JOB_CANCEL_REQUESTED.topic(), r -> id.equals(r.key()), 1, WAIT).get(0);
            JobCancelRequested cancel = new EventCodec("/test").decode(record.value(), JobCancelRequested.class);
            assertThat(cancel.purgeObjects()).isTrue();
            assertThat(cancel.reason()).isEqualTo("wrong dataset");
            // the gateway follows every topic, its own cancellations too: the broker would hand the record back
            topics.publish(new ProducerRecord<>(record.topic(), record.key(), record.value()));
        }
        Api.await("cancelled stage", WAIT, () -> "cancelled".equals(stage(id)));
        given().get("/jobs/" + id).then().body("failure.reason", equalTo("cancelled: wrong dataset"));
        // finished: a second cancel is a conflict, unless it purges
        given().delete("/jobs/" + id).then().statusCode(409).contentType("application/problem+json");
        given().delete("/jobs/" + id + "?purge=true").then().statusCode(202);
    }

    @Test
    void invalidRecordsAreDeadLetteredAndChangeNothing() {
        String id = "gw-dlq-1";
        submit(id);
        try (Topics topics = new InMemoryTopics(connector)) {
            byte[] bad = new EventCodec("/nnft/test-stage").encode(Api.example(TrainingProgress.class, id));
            String broken = new String(bad, StandardCharsets.UTF_8).replace("\"epoch\":41", "\"epoch\":\"forty-one\"");
            assertThat(broken).isNotEqualTo(new String(bad, StandardCharsets.UTF_8));
            topics.publish(EventType.TRAINING_PROGRESS.topic(), id, broken.getBytes(StandardCharsets.UTF_8));
            var dead = topics.await(EventType.DEAD_LETTER_TOPIC, r -> id.equals(r.key())
                    && new String(r.headers().lastHeader(DeadLetter.CONSUMER_HEADER).value(), StandardCharsets.UTF_8)
                    .equals("/nnft/nnft-gateway"), 1, WAIT).get(0);
            assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo(broken);
            assertThat(new String(dead.headers().lastHeader(DeadLetter.REASON_HEADER).value(), StandardCharsets.UTF_8))
                    .contains("/data/epoch");
        }
        given().get("/jobs/" + id).then().body("stage", equalTo("requested"))
                .body("epoch", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void aRequestWithoutJobIdIsFollowedUnderTheIdItsPlannerAssignsAndBadRequestsAreLeftToThePlanner() {
        try (Topics topics = new InMemoryTopics(connector)) {
            String topic = EventType.FINE_TUNE_REQUESTED.topic();
            // the planner consumes this topic and dead-letters these; a second copy from the gateway would count twice
            topics.publish(topic, "gw-bad-request-1", "{not json".getBytes(StandardCharsets.UTF_8));
            topics.publish(topic, "gw-key-a", new EventCodec("/nnft/test-cli").encode(
                    FineTuneRequested.of("datasets/Dataset002_Heart/").withJobId("gw-key-b")));
            String eventId = java.util.UUID.randomUUID().toString();
            topics.publish(topic, null, new EventCodec("/nnft/test-cli").encode(
                    FineTuneRequested.of("datasets/Dataset002_Heart/"), eventId, java.time.Instant.now()));
            String assigned = JobId.forEvent("/nnft/test-cli", eventId);
            Api.await("the view of " + assigned, WAIT, () -> given().get("/jobs/" + assigned).statusCode() == 200);
            assertThat(stage(assigned)).isEqualTo("requested");
            given().get("/jobs/gw-key-b").then().statusCode(404);
            given().get("/jobs/gw-key-a").then().statusCode(404);
            assertThat(topics.readAll(EventType.DEAD_LETTER_TOPIC, r -> new String(r.headers()
                    .lastHeader(DeadLetter.SOURCE_TOPIC_HEADER).value(), StandardCharsets.UTF_8).equals(topic))).isEmpty();
        }
    }

    /** An SSE line as "name:value" (the space after the colon is optional on the wire). */
    private static String field(String line) {
        return line.replaceFirst("^(\\w+): ", "$1:");
    }

    @Test
    void aSnapshotLeftByAnotherInstanceIsAnswered() {
        // what a gateway that was stopped (or another replica) wrote; this instance never saw the events
        String snapshot = "{\"jobId\":\"gw-restart-1\",\"stage\":\"training\",\"dataset\":\"datasets/Dataset002_Heart/\","
                + "\"epoch\":7,\"epochs\":10,\"metrics\":{\"ema_pseudo_dice\":0.7},\"createdAt\":\"2026-11-23T12:00:00Z\"}";
        RealS3.store().put(JobViews.statusKey("gw-restart-1"), snapshot.getBytes(StandardCharsets.UTF_8),
                "application/json");
        given().get("/jobs/gw-restart-1").then().statusCode(200)
                .body("stage", equalTo("training")).body("epoch", equalTo(7))
                .body("metrics.ema_pseudo_dice", equalTo(0.7f));
        // and later events go on from there
        try (Topics topics = new InMemoryTopics(connector)) {
            Api.publish(topics, JobFailed.of("gw-restart-1", JobFailed.Stage.TRAINING, "node lost", true));
        }
        Api.await("failed stage", WAIT, () -> "failed".equals(stage("gw-restart-1")));
        given().get("/jobs/gw-restart-1").then().body("epoch", equalTo(7)).body("failure.reason", equalTo("node lost"));
    }
}
