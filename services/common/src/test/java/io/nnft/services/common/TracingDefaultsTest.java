package io.nnft.services.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Tracing is off unless an OTLP endpoint is configured, whichever name sets it. The configuration is built as Quarkus
 * builds it: the shared microprofile-config.properties, the environment above it, Quarkus' defaults for its own keys
 * below it, and the interceptor registered in META-INF/services.
 */
class TracingDefaultsTest {

    private static SmallRyeConfig config(Map<String, String> environment) throws IOException {
        URL shared = TracingDefaults.class.getResource("/META-INF/microprofile-config.properties");
        return new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDiscoveredInterceptors()
                // what Quarkus registers for the keys involved (OTelRuntimeConfig, OtlpExporterConfigBuilder)
                .withDefaultValue("quarkus.otel.sdk.disabled", "false")
                .withDefaultValue("quarkus.otel.exporter.otlp.endpoint", "http://localhost:4317/")
                .withSources(new PropertiesConfigSource(shared, 100), new EnvConfigSource(environment, 300))
                .build();
    }

    /** Whether the SDK is off; asserts that the Kafka connector's tracing is the opposite. */
    private static boolean disabled(Map<String, String> environment) throws IOException {
        SmallRyeConfig config = config(environment);
        boolean disabled = config.getValue(TracingDefaults.SDK_DISABLED, Boolean.class);
        assertThat(config.getValue(TracingDefaults.KAFKA_TRACING, Boolean.class)).as("Kafka connector tracing")
                .isEqualTo(!disabled);
        return disabled;
    }

    @Test
    void offWithoutAnEndpoint() throws IOException {
        assertThat(disabled(Map.of())).isTrue();
        // Quarkus passes the quarkus.otel.* keys it finds by name on to the SDK's autoconfiguration
        assertThat(config(Map.of()).getPropertyNames()).contains(TracingDefaults.SDK_DISABLED);
        assertThat(disabled(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", " "))).isTrue();
    }

    @Test
    void onWithTheOpenTelemetryVariables() throws IOException {
        SmallRyeConfig config = config(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318",
                "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"));
        assertThat(config.getValue(TracingDefaults.SDK_DISABLED, Boolean.class)).isFalse();
        assertThat(config.getValue("quarkus.otel.exporter.otlp.endpoint", String.class)).isEqualTo("http://collector:4318");
        assertThat(config.getValue("quarkus.otel.exporter.otlp.protocol", String.class)).isEqualTo("http/protobuf");
    }

    @Test
    void onWithQuarkusOwnNames() throws IOException {
        assertThat(disabled(Map.of("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317"))).isFalse();
        assertThat(disabled(Map.of("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:4317"))).isFalse();
        assertThat(config(Map.of()).getValue("quarkus.otel.exporter.otlp.protocol", String.class)).isEqualTo("grpc");
    }

    @Test
    void anExplicitSettingWins() throws IOException {
        assertThat(disabled(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317",
                "QUARKUS_OTEL_SDK_DISABLED", "true"))).isTrue();
        assertThat(disabled(Map.of("QUARKUS_OTEL_SDK_DISABLED", "false"))).isFalse();
        SmallRyeConfig connectorOff = config(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317",
                "MP_MESSAGING_CONNECTOR_SMALLRYE_KAFKA_TRACING_ENABLED", "false"));
        assertThat(connectorOff.getValue(TracingDefaults.KAFKA_TRACING, Boolean.class)).isFalse();
        assertThat(connectorOff.getValue(TracingDefaults.SDK_DISABLED, Boolean.class)).isFalse();
    }
}
