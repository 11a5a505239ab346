package io.nnft.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.jackson.JsonFormat;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/** Our plain-Jackson envelope is a spec-conformant structured-mode CloudEvent, both ways. */
class CloudEventsSdkInteropTest {

    private final EventCodec codec = EventCodec.forProducer("planner");

    @Test
    void theSdkReadsWhatWeWrite() throws Exception {
        JobCancelRequested cancel = new JobCancelRequested("job-7", "stop", false);
        CloudEvent ce = new JsonFormat().deserialize(codec.encode(cancel));
        assertThat(ce.getSpecVersion().toString()).isEqualTo("1.0");
        assertThat(ce.getType()).isEqualTo("nnft.JobCancelRequested.v1");
        assertThat(ce.getSource()).isEqualTo(URI.create("/nnft/planner"));
        assertThat(ce.getSubject()).isEqualTo("job-7");
        assertThat(ce.getDataContentType()).isEqualTo("application/json");
        assertThat(ce.getTime()).isNotNull();
        assertThat(Examples.tree(ce.getData().toBytes())).isEqualTo(EventJson.mapper().valueToTree(cancel));
    }

    @Test
    void weReadWhatTheSdkWrites() {
        byte[] data = "{\"jobId\":\"job-7\",\"purge\":true}".getBytes(StandardCharsets.UTF_8);
        CloudEvent ce = CloudEventBuilder.v1()
                .withId("abc")
                .withSource(URI.create("/nnft/gateway"))
                .withType("nnft.JobCancelRequested.v1")
                .withSubject("job-7")
                .withTime(OffsetDateTime.parse("2026-11-23T12:00:00+01:00"))
                .withDataContentType("application/json")
                .withData(data)
                .build();
        byte[] bytes = new JsonFormat().serialize(ce);
        Decoded decoded = codec.decode(bytes);
        assertThat(decoded.event()).isEqualTo(new JobCancelRequested("job-7", null, true));
        assertThat(decoded.source()).isEqualTo("/nnft/gateway");
        assertThat(decoded.time()).isEqualTo(OffsetDateTime.parse("2026-11-23T12:00:00+01:00").toInstant());
    }
}
