package io.nnft.planner.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;

/** {@code nnft.planner.*}. */
@ConfigMapping(prefix = "nnft.planner")
public interface PlannerConfig {
    /** Local scratch space where a job's raw dataset is unpacked while it is fingerprinted. */
    Path workDir();

    /** Threads for the dataset check and fingerprint (each reads one case at a time). */
    @WithDefault("2")
    int threads();

    /** Largest image file accepted (checked from the header before anything is allocated). */
    @WithDefault("4294967296")
    long maxBytesPerFile();
}
