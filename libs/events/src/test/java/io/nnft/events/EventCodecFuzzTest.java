package io.nnft.events;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Fuzzes what turns Kafka record bytes (and the gateway's request bodies) into typed events. Contract, as
 * {@link EventCodec} documents it: a typed event or an {@link InvalidEventException}, never another
 * exception whatever the bytes; {@link EventCodec#jobIdOf} never throws. Anything else would stop a
 * consumer on a poison record (docs/fuzzing.md).
 */
class EventCodecFuzzTest {
    private static final EventCodec CODEC = EventCodec.forProducer("fuzz");

    @FuzzTest(maxDuration = "5m")
    void decode(byte[] input) {
        EventCodec.jobIdOf(input);
        try {
            CODEC.decode(input).event();
        } catch (InvalidEventException expected) {
            // dead-lettered with its problems
        }
    }

    @FuzzTest(maxDuration = "5m")
    void decodeRequest(byte[] input) {
        try {
            EventCodec.decodeData(input, FineTuneRequested.class);
        } catch (InvalidEventException expected) {
            // a 400 with its problems
        }
    }

    /** Regenerates the seeds: {@code -Dnnft.fuzz.writeSeeds=true -Dtest=EventCodecFuzzTest#writeSeeds}. */
    @Test
    @EnabledIfSystemProperty(named = "nnft.fuzz.writeSeeds", matches = "true")
    void writeSeeds() throws IOException {
        Path events = seedDir("decode");
        Path requests = seedDir("decodeRequest");
        Instant time = Instant.parse("2026-11-23T12:00:00.123Z");
        for (Examples.Example e : Examples.all()) {
            NnftEvent event = EventCodec.decodeData(e.json(), e.type().javaClass());
            Files.write(events.resolve(e.file()), CODEC.encode(event, "id-1", time));
            if (e.type().javaClass() == FineTuneRequested.class) {
                Files.write(requests.resolve(e.file()), e.json());
            }
        }
        // edges: not JSON, JSON that is not an object, an envelope without data
        Files.write(events.resolve("not_json.txt"), "{\"specversion\": 1.0,".getBytes(StandardCharsets.UTF_8));
        Files.write(events.resolve("array.json"), "[1, 2]".getBytes(StandardCharsets.UTF_8));
        Files.write(events.resolve("no_data.json"), ("{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"/nnft/x\","
                + "\"type\":\"io.nnft.job.failed\"}").getBytes(StandardCharsets.UTF_8));
    }

    private static Path seedDir(String method) throws IOException {
        return Files.createDirectories(Path.of("src/test/resources/io/nnft/events/EventCodecFuzzTestInputs", method));
    }
}
