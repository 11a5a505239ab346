package io.nnft.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nnft.embedded.LocalPlatform;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A fine-tune request as users send it: {@code POST /jobs} to the platform's gateway. */
final class GatewayRequests {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private GatewayRequests() {
    }

    /** Submits {@code body} with {@code apiKey}; asserts 202 and returns the job id the gateway assigned or kept. */
    static String submit(LocalPlatform platform, String apiKey, String body) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(platform.service("gateway").baseUrl() + "/jobs"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + apiKey)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return MAPPER.readTree(r.body()).get("jobId").asText();
    }

    /** {@code GET /jobs/{id}}: the job's view; asserts 200. */
    static JsonNode job(LocalPlatform platform, String apiKey, String jobId) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(platform.service("gateway").baseUrl() + "/jobs/" + jobId))
                .header("Authorization", "Bearer " + apiKey).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return MAPPER.readTree(r.body());
    }
}
