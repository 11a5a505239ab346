package io.nnft.exporter.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** {@code nnft.exporter.*}. */
@ConfigMapping(prefix = "nnft.exporter")
public interface ExporterConfig {
    /** Local scratch space: the downloaded checkpoint and the export before it is uploaded. */
    Path workDir();

    /** {@code best} or {@code final}; when unset, the job request's {@code export.checkpoint}. */
    Optional<String> checkpoint();

    /** Lifetime of the presigned GET URLs (S3 caps it at 7 days). */
    @WithDefault("7d")
    Duration urlExpiry();

    ClassifierStarter classifierStarter();

    interface ClassifierStarter {
        /** Number of classes of the starter's linear head. */
        @WithDefault("2")
        int classes();

        /** Seed of the head's He initialisation. */
        @WithDefault("12345")
        long seed();
    }
}
