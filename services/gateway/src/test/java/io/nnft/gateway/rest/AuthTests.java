package io.nnft.gateway.rest;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.nnft.gateway.GatewayChannels;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

/** Bearer API keys on every route but health and the OpenAPI document. */
@QuarkusTest
@WithTestResource(GatewayChannels.class)
class AuthTests {
    @Test
    void callsWithoutAKnownKeyAre401ProblemJson() {
        for (String path : new String[] {"/jobs", "/jobs/any", "/q/metrics"}) {
            RestAssured.given().get(path).then().statusCode(401).contentType("application/problem+json")
                    .header("WWW-Authenticate", containsString("Bearer"))
                    .body("problems.where", hasItem("Authorization"));
        }
        RestAssured.given().header("Authorization", "Bearer wrong-key").get("/jobs").then().statusCode(401)
                .body("detail", containsString("not a known API key"));
        RestAssured.given().header("Authorization", "Basic dGVzdDp0ZXN0").get("/jobs").then().statusCode(401)
                .body("detail", containsString("not a bearer token"));
        RestAssured.given().contentType("application/json").body("{\"dataset\":\"datasets/Dataset001_Demo/\"}")
                .post("/jobs").then().statusCode(401);
        RestAssured.given().contentType("application/zip").body(new byte[] {1, 2}).post("/datasets").then().statusCode(401);
    }

    @Test
    void everyConfiguredKeyIsAccepted() {
        RestAssured.given().header("Authorization", "Bearer test-key-1").get("/jobs").then().statusCode(200);
        RestAssured.given().header("Authorization", "bearer test-key-2").get("/jobs").then().statusCode(200);
    }

    @Test
    void healthAndOpenApiNeedNoKey() {
        RestAssured.given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        RestAssured.given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/jobs/{id}/events"))
                .body("paths", org.hamcrest.Matchers.hasKey("/datasets"))
                .body("components.securitySchemes.apiKey.scheme", equalTo("bearer"));
    }

    @Test
    void unknownRoutesAndMethodsAreProblemJsonToo() {
        Api.given().get("/nothing-here").then().statusCode(404).contentType("application/problem+json");
        Api.given().contentType("text/plain").body("x").post("/jobs").then().statusCode(415)
                .contentType("application/problem+json");
    }
}
