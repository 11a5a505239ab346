package io.nnft.preprocessor.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;

/** {@code nnft.preprocessor.*}. */
@ConfigMapping(prefix = "nnft.preprocessor")
public interface PreprocessorConfig {
    /** Local scratch space for a job's raw cases and its output until it is uploaded. */
    Path workDir();

    /** Threads working inside and across cases. */
    @WithDefault("2")
    int threads();

    /** Cases held in memory at once. */
    @WithDefault("2")
    int casesInFlight();
}
