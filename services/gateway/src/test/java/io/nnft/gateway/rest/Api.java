package io.nnft.gateway.rest;

import io.nnft.events.EventCodec;
import io.nnft.events.EventType;
import io.nnft.events.NnftEvent;
import io.nnft.services.testing.Topics;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Shared bits of the gateway's REST tests: the test API key, example events, waiting. */
final class Api {
    /** One of the keys %test sets in nnft.gateway.api-keys. */
    static final String TOKEN = "test-key-1";

    private Api() {
    }

    /** RestAssured with the test API key. */
    static RequestSpecification given() {
        return RestAssured.given().header("Authorization", "Bearer " + TOKEN);
    }

    /** The bundled example of {@code type} (libs/events), rewritten for {@code jobId}. */
    static <T extends NnftEvent> T example(Class<T> type, String jobId) {
        return example(type, jobId, "");
    }

    static <T extends NnftEvent> T example(Class<T> type, String jobId, String suffix) {
        String resource = EventType.of(type).exampleResource().replace(".json", suffix + ".json");
        try (InputStream in = Api.class.getClassLoader().getResourceAsStream(resource)) {
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("heart-ft-001", jobId);
            return EventCodec.decodeData(json.getBytes(StandardCharsets.UTF_8), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Publishes {@code event} as a producer stage would (CloudEvent, keyed by job id). */
    static void publish(Topics topics, NnftEvent event) {
        topics.publish(event.type().topic(), event.jobId(), new EventCodec("/nnft/test-stage").encode(event));
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
    }
}
