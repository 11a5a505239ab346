package io.nnft.exporter.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nnft.events.FineTuneRequested.Export.Checkpoint;
import io.nnft.exporter.config.ExporterConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Configuration mistakes stop the service at start-up with the key, the allowed values and what was found. */
class ExportServiceConfigTest {

    private static ExporterConfig config(Duration expiry, String checkpoint) {
        return new ExporterConfig() {
            @Override
            public Path workDir() {
                return Path.of("unused");
            }

            @Override
            public Optional<String> checkpoint() {
                return Optional.ofNullable(checkpoint);
            }

            @Override
            public Duration urlExpiry() {
                return expiry;
            }

            @Override
            public ClassifierStarter classifierStarter() {
                return null;
            }
        };
    }

    private static ExportService service(ExporterConfig c) {
        return new ExportService(null, null, c, new SimpleMeterRegistry());
    }

    @Test
    void urlExpiryBeyondS3sSevenDaysIsRefused() {
        assertThatThrownBy(() -> service(config(Duration.ofDays(8), null)))
                .hasMessageContaining("nnft.exporter.url-expiry").hasMessageContaining("7d").hasMessageContaining("PT192H");
        assertThatThrownBy(() -> service(config(Duration.ZERO, null))).hasMessageContaining("url-expiry");
        assertThat(service(config(Duration.ofDays(7), "best"))).isNotNull();
    }

    @Test
    void checkpointMustBeBestOrFinal() {
        assertThatThrownBy(() -> service(config(Duration.ofHours(1), "latest")))
                .hasMessageContaining("nnft.exporter.checkpoint").hasMessageContaining("best or final")
                .hasMessageContaining("'latest'");
        assertThat(ExportService.parseCheckpoint(" BEST ")).isEqualTo(Checkpoint.BEST);
        assertThat(ExportService.parseCheckpoint("final")).isEqualTo(Checkpoint.FINAL);
    }
}
