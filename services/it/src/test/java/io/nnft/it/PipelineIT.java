package io.nnft.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nnft.embedded.LocalPlatform;
import io.nnft.events.DeadLetter;
import io.nnft.events.EventCodec;
import io.nnft.events.EventType;
import io.nnft.events.PlansReady;
import io.nnft.services.testing.TopicClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real services in their own JVMs, a real broker, a real S3 server: a request posted to the gateway
 * crosses the broker to the planner, whose plans land in the bucket and whose PlansReady comes back.
 */
class PipelineIT {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final EventCodec CODEC = new EventCodec("/nnft/it");
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String API_KEY = "it-" + Long.toHexString(System.nanoTime());

    @TempDir
    static Path data;

    static LocalPlatform platform;

    @BeforeAll
    static void start() {
        Path root = Path.of(System.getProperty("nnft.repo.root", "../.."));
        platform = LocalPlatform.start(root, data, false, "nnft", List.of("planner", "gateway"),
                Map.of("nnft.gateway.api-keys", API_KEY));
        platform.store().uploadDirectory(Path.of("src/test/resources/Dataset002_CTPair"), "datasets/Dataset002_CTPair");
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    private static String submit(String body) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(platform.service("gateway").baseUrl() + "/jobs"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + API_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return MAPPER.readTree(r.body()).get("jobId").asText();
    }

    @Test
    void aRequestCrossesTheBrokerAndPlansLandInTheBucket() throws Exception {
        String jobId = submit("{\"dataset\":\"s3://nnft/datasets/Dataset002_CTPair/\",\"configuration\":\"3d_fullres\"}");
        try (TopicClient topics = new TopicClient(platform.bootstrapServers())) {
            var record = topics.await(EventType.PLANS_READY.topic(), r -> jobId.equals(r.key()), 1, WAIT).get(0);
            PlansReady ready = CODEC.decode(record.value(), PlansReady.class);
            JsonNode plans = MAPPER.readTree(platform.store().getBytes(platform.store().locate(ready.plans()).key()));
            assertThat(plans.path("dataset_name").asText()).isEqualTo("Dataset002_CTPair");
            assertThat(plans.path("configurations").path("3d_fullres").path("patch_size").size()).isEqualTo(3);
        }
    }

    @Test
    void malformedEventsGoToTheDeadLetterTopicAndTheNextJobStillRuns() throws Exception {
        try (TopicClient topics = new TopicClient(platform.bootstrapServers())) {
            topics.publish(EventType.FINE_TUNE_REQUESTED.topic(), "it-garbage", new byte[] {0x01, 0x02, 'x'});
            List<ConsumerRecord<String, byte[]>> dead = topics.await(EventType.DEAD_LETTER_TOPIC,
                    r -> "it-garbage".equals(r.key()), 1, WAIT);
            assertThat(new String(dead.get(0).headers().lastHeader(DeadLetter.REASON_HEADER).value(),
                    StandardCharsets.UTF_8)).contains("not JSON");
            String jobId = submit("{\"dataset\":\"datasets/Dataset002_CTPair/\"}");
            topics.await(EventType.PLANS_READY.topic(), r -> jobId.equals(r.key()), 1, WAIT);
        }
    }
}
