package io.nnft.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ExamplesTest {

    static List<Examples.Example> examples() {
        return Examples.all();
    }

    @Test
    void everyEventTypeHasAnExample() {
        Set<EventType> covered = Examples.all().stream().map(Examples.Example::type).collect(Collectors.toSet());
        assertThat(covered).containsExactlyInAnyOrder(EventType.values());
    }

    @ParameterizedTest
    @MethodSource("examples")
    void validatesAgainstItsSchema(Examples.Example example) {
        assertThat(EventSchemas.get().validate(example.type(), Examples.tree(example.json()))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void parsesAndSerializesBackToTheSameJson(Examples.Example example) throws Exception {
        NnftEvent event = EventCodec.decodeData(example.json(), example.type().javaClass());
        JsonNode original = Examples.tree(example.json());
        JsonNode back = EventJson.mapper().valueToTree(event);
        assertThat(Examples.sameJson(original, back))
                .as("%s serialized back%n%s%nvs%n%s", example.file(), back.toPrettyString(), original.toPrettyString())
                .isTrue();
        // and what we write validates too
        assertThat(EventSchemas.get().validate(example.type(), Examples.tree(EventCodec.encodeData(event)))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void cloudEventRoundTrip(Examples.Example example) {
        NnftEvent event = EventCodec.decodeData(example.json(), example.type().javaClass());
        EventCodec codec = EventCodec.forProducer("test");
        Instant time = Instant.parse("2026-11-23T12:00:00.123Z");
        byte[] bytes = codec.encode(event, "id-1", time);

        Decoded decoded = codec.decode(bytes);
        assertThat(decoded.event()).isEqualTo(event);
        assertThat(decoded.type()).isEqualTo(example.type());
        assertThat(decoded.id()).isEqualTo("id-1");
        assertThat(decoded.source()).isEqualTo("/nnft/test");
        assertThat(decoded.subject()).isEqualTo(event.jobId());
        assertThat(decoded.time()).isEqualTo(time);
        assertThat(codec.decode(bytes, example.type().javaClass())).isEqualTo(event);

        JsonNode ce = Examples.tree(bytes);
        assertThat(ce.get("specversion").asText()).isEqualTo("1.0");
        assertThat(ce.get("type").asText()).isEqualTo(example.type().cloudEventType());
        assertThat(ce.get("datacontenttype").asText()).isEqualTo("application/json");
        assertThat(ce.get("data").isObject()).isTrue();
    }
}
