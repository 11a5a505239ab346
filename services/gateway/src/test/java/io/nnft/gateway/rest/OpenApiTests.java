package io.nnft.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nnft.events.EventJson;
import io.nnft.gateway.GatewayChannels;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** /q/openapi tells the truth: the request schema with its bounds, the status codes the resources return, fold. */
@QuarkusTest
@WithTestResource(GatewayChannels.class)
class OpenApiTests {
    private JsonNode doc;

    @BeforeEach
    void fetch() throws IOException {
        // an open path: no API key
        String json = RestAssured.given().get("/q/openapi?format=json").then().statusCode(200).extract().asString();
        doc = EventJson.mapper().readTree(json);
    }

    @Test
    void postJobsTakesTheFineTuneRequestWithItsBounds() {
        JsonNode body = resolve(doc.at("/paths/~1jobs/post/requestBody/content/application~1json/schema"));
        assertThat(body.path("type").asText()).as("no longer a binary string").isNotEqualTo("string");
        List<String> refs = new ArrayList<>();
        body.path("oneOf").forEach(s -> refs.add(s.path("$ref").asText()));
        assertThat(refs).containsExactlyInAnyOrder("#/components/schemas/FineTuneRequest",
                "#/components/schemas/FineTuneRequestForDatasets");
        JsonNode request = resolve(body.path("oneOf").get(0));
        JsonNode epochs = request.at("/properties/budget/properties/epochs");
        assertThat(epochs.path("minimum").asInt()).isEqualTo(1);
        assertThat(epochs.path("maximum").asInt()).isEqualTo(10000);
        assertThat(epochs.path("description").asText()).contains("At most 10000");
        assertThat(request.at("/properties/budget/properties/iterationsPerEpoch/maximum").asInt()).isEqualTo(100000);
        assertThat(request.at("/properties/optimizer/properties/initialLr/maximum").asInt()).isEqualTo(1);
        assertThat(request.path("required").toString()).contains("dataset");
        JsonNode fanOut = resolve(doc.at("/components/schemas/FineTuneRequestForDatasets"));
        assertThat(fanOut.path("required").toString()).contains("datasets", "pretrained");
        assertThat(fanOut.at("/properties/dataset").isMissingNode()).isTrue();
    }

    @Test
    void responsesAreTheStatusCodesTheResourcesReturn() {
        assertThat(codes("/jobs", "post")).containsExactlyInAnyOrder("202", "400", "401", "409", "503");
        assertThat(codes("/jobs", "get")).containsExactlyInAnyOrder("200", "401");
        assertThat(resolve(doc.at("/paths/~1jobs/get/responses/200/content/application~1json/schema/properties/jobs/items"))
                .at("/properties/fold").path("$ref").asText()).isEqualTo("#/components/schemas/Fold");
        assertThat(codes("/jobs/{id}", "get")).containsExactlyInAnyOrder("200", "401", "404");
        assertThat(codes("/jobs/{id}", "delete")).containsExactlyInAnyOrder("202", "401", "404", "409", "503");
        assertThat(codes("/jobs/{id}/events", "get")).contains("200", "401", "404");
        assertThat(codes("/jobs/{id}/artifacts", "get")).contains("200", "401", "404");
        assertThat(codes("/datasets", "post")).containsExactlyInAnyOrder("201", "400", "401", "409", "413");
        JsonNode problem = doc.at("/paths/~1jobs/post/responses/400/content/application~1problem+json/schema");
        assertThat(problem.path("$ref").asText()).isEqualTo("#/components/schemas/ProblemDetails");
        assertThat(resolve(problem).at("/properties/problems/items/required").toString())
                .contains("where", "expected", "found");
    }

    @Test
    void foldIsANumberOrAll() {
        JsonNode requestFold = resolve(doc.at("/components/schemas/FineTuneRequest/properties/fold"));
        JsonNode viewFold = resolve(doc.at("/components/schemas/JobView/properties/fold"));
        for (JsonNode fold : List.of(requestFold, viewFold)) {
            assertThat(fold.path("properties").isMissingNode()).as("not an object: %s", fold).isTrue();
            assertThat(fold.path("type").toString()).contains("integer", "string");
            assertThat(fold.path("enum").toString()).isEqualTo("[0,1,2,3,4,\"all\"]");
        }
    }

    private List<String> codes(String path, String method) {
        JsonNode responses = doc.path("paths").path(path).path(method).path("responses");
        assertThat(responses.isObject()).as("%s %s in %s", method, path, doc.path("paths").fieldNames()).isTrue();
        List<String> codes = new ArrayList<>();
        responses.fieldNames().forEachRemaining(codes::add);
        return codes;
    }

    /** Follows a local $ref. */
    private JsonNode resolve(JsonNode schema) {
        String ref = schema.path("$ref").asText("");
        return ref.startsWith("#") ? resolve(doc.at(ref.substring(1))) : schema;
    }
}
