package io.nnft.trainer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** {@code nnft.trainer.*}. */
@ConfigMapping(prefix = "nnft.trainer")
public interface TrainerConfig {
    /** Local scratch space: a job's preprocessed cases, its model folder and the worker's log. */
    Path workDir();

    /** This replica's name in the ledger; default: host name plus a random suffix (unique per start). */
    Optional<String> ownerId();

    /** How long a claim stays valid without renewal; renewed every third of it. */
    @WithDefault("2m")
    Duration leaseTtl();

    /** How often the ledger is scanned for unclaimed jobs and expired leases (also once at start-up). */
    @WithDefault("60s")
    Duration scanEvery();

    /** Jobs trained at once by this replica (one per GPU). */
    @WithDefault("1")
    int maxJobs();

    /** Attempts per job (crashed workers, taken-over leases) before it fails as retriable. */
    @WithDefault("3")
    int maxAttempts();

    /** Refuse to train when the worker's DJL sees no GPU (a CUDA libtorch that did not load falls back to CPU). */
    @WithDefault("false")
    boolean requireGpu();

    /** Class path of the worker JVM; default: the service's own (fast-jar folders or java.class.path). */
    Optional<String> workerClasspath();

    /** -Xmx of the worker JVM. */
    @WithDefault("8g")
    String workerHeap();

    /** Extra JVM options of the worker (e.g. -Dai.djl.pytorch.num_threads=8). */
    Optional<List<String>> workerJvmOptions();

    /** DJL_CACHE_DIR of the worker (where the libtorch natives are extracted); default: inherited. */
    Optional<String> djlCacheDir();

    /** Tries of an object-store call that failed retriably (back-off 1 s doubling, at most 30 s apart). */
    @WithDefault("8")
    int storageRetries();

    /**
     * Consecutive training steps with a NaN or infinite loss or gradient norm (skipped, never applied) after which a
     * run fails as diverged (JobFailed, not retriable: the same attempt would diverge again).
     */
    @WithDefault("5")
    int maxSkippedSteps();

    /** Threads producing augmented batches in the worker. */
    @WithDefault("4")
    int dataThreads();

    /** {@code nnft.trainer.selfcheck.*}: the engine self-check before a job is claimed. */
    SelfCheck selfcheck();

    interface SelfCheck {
        /** Check the engine for the job's plan (once per plan shape per process) before claiming it. */
        @WithDefault("true")
        boolean enabled();

        /**
         * How long a job may stay unclaimed after a node first refused it (its check failed) before that node fails it
         * ({@code JobFailed}, not retriable, naming the check): until then a node whose check passes may take it.
         */
        @WithDefault("10m")
        Duration giveUpAfter();

        /** A check without a verdict by then is killed and asked again at the next scan. */
        @WithDefault("15m")
        Duration timeout();
    }
}
