package io.nnft.embedded;

import io.nnft.storage.ObjectStore;
import io.nnft.storage.StorageSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * nnft on one machine: the embedded broker and S3 server on loopback, and the chosen services each in
 * its own JVM pointed at them. Used by the end-to-end tests and {@code ./nnft local}. Closing it stops
 * everything it started, services first.
 */
public final class LocalPlatform implements AutoCloseable {
    /** Every service, in start order (consumers before the gateway that feeds them). */
    public static final List<String> ALL_SERVICES = List.of("planner", "preprocessor", "trainer", "exporter", "gateway");

    private final EmbeddedKafka kafka;
    private final EmbeddedS3 s3;
    private final ObjectStore store;
    /** Start order kept; replaced in place when the liveness watch restarts a service. */
    private final Map<String, ServiceProcess> services = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    private final Path logDir;
    private LivenessWatch watch;

    private LocalPlatform(EmbeddedKafka kafka, EmbeddedS3 s3, ObjectStore store, Path logDir) {
        this.kafka = kafka;
        this.s3 = s3;
        this.store = store;
        this.logDir = logDir;
    }

    /**
     * How to start: {@code persistent} keeps objects (under data-dir/s3) and the broker's log (data-dir/kafka)
     * across restarts; ports 0 pick free ones; null keys are generated.
     */
    public record Options(boolean persistent, String bucket, List<String> services, Map<String, String> extra,
                          int kafkaPort, int s3Port, int gatewayPort, String accessKey, String secretKey) {
        public Options {
            services = List.copyOf(services);
            extra = Map.copyOf(extra);
        }

        public static Options of(boolean persistent, String bucket, List<String> services, Map<String, String> extra) {
            return new Options(persistent, bucket, services, extra, 0, 0, 0, null, null);
        }
    }

    /**
     * Starts the infrastructure and the named services.
     *
     * @param repoRoot  the checkout, where {@code services/<name>/target/quarkus-app/quarkus-run.jar} are built
     * @param dataDir   where the S3 server keeps objects (empty: in memory) and services write logs
     * @param bucket    the bucket to create and use
     * @param services  which services to run, e.g. {@link #ALL_SERVICES}
     * @param extra     more configuration for every service (e.g. budgets, a log level)
     */
    public static LocalPlatform start(Path repoRoot, Path dataDir, boolean persistentObjects, String bucket,
                                      List<String> services, Map<String, String> extra) {
        return start(repoRoot, dataDir, Options.of(persistentObjects, bucket, services, extra));
    }

    public static LocalPlatform start(Path repoRoot, Path dataDir, Options o) {
        EmbeddedKafka kafka = null;
        EmbeddedS3 s3 = null;
        LocalPlatform platform = null;
        try {
            Files.createDirectories(dataDir);
            kafka = EmbeddedKafka.start(o.persistent() ? Optional.of(dataDir.resolve("kafka")) : Optional.empty(),
                    o.kafkaPort());
            String accessKey = o.accessKey() != null ? o.accessKey() : "local-" + UUID.randomUUID().toString().substring(0, 8);
            String secretKey = o.secretKey() != null ? o.secretKey() : UUID.randomUUID().toString();
            s3 = EmbeddedS3.start(accessKey, secretKey,
                    o.persistent() ? Optional.of(dataDir.resolve("s3")) : Optional.empty(), o.s3Port());
            ObjectStore store = new ObjectStore(StorageSettings.of(s3.endpoint(), accessKey, secretKey, o.bucket()));
            store.ensureBucket();
            platform = new LocalPlatform(kafka, s3, store, dataDir.resolve("logs"));
            Map<String, String> config = new LinkedHashMap<>();
            config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
            config.put("nnft.storage.endpoint", s3.endpoint());
            config.put("nnft.storage.access-key", accessKey);
            config.put("nnft.storage.secret-key", secretKey);
            config.put("nnft.storage.bucket", o.bucket());
            // Each platform its own scratch space: services reuse what a job left there, by job id.
            for (String service : List.of("planner", "preprocessor", "trainer", "exporter")) {
                config.put("nnft." + service + ".work-dir", dataDir.resolve("work").resolve(service).toAbsolutePath().toString());
            }
            config.putAll(o.extra());
            for (String name : o.services()) {
                Path jar = repoRoot.resolve("services").resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
                Map<String, String> own = config;
                if (name.equals("gateway") && o.gatewayPort() != 0) {
                    own = new LinkedHashMap<>(config);
                    own.put(ServiceProcess.HTTP_PORT, Integer.toString(o.gatewayPort()));
                }
                platform.services.put(name, ServiceProcess.start(name, jar, own, platform.logDir,
                        Duration.ofSeconds(120)));
            }
            return platform;
        } catch (RuntimeException | java.io.IOException e) {
            if (platform != null) {
                platform.close();
            } else {
                if (s3 != null) {
                    s3.close();
                }
                if (kafka != null) {
                    kafka.close();
                }
            }
            throw e instanceof RuntimeException re ? re
                    : new IllegalStateException("could not start the local platform: " + e.getMessage(), e);
        }
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** A client on the platform's bucket. */
    public ObjectStore store() {
        return store;
    }

    public EmbeddedS3 s3() {
        return s3;
    }

    public ServiceProcess service(String name) {
        ServiceProcess p = services.get(name);
        if (p == null) {
            throw new IllegalArgumentException("service " + name + " is not running; running: " + services.keySet());
        }
        return p;
    }

    public Path logDir() {
        return logDir;
    }

    /**
     * From now on, restarts a service that fails its liveness check {@code failures} times in a row, checked every
     * {@code every} ({@link LivenessWatch}); what happens is said on {@code console}. Not for tests that stop
     * services on purpose.
     */
    public synchronized void watchLiveness(Duration every, int failures, Consumer<String> console) {
        if (watch != null) {
            throw new IllegalStateException("the liveness watch already runs");
        }
        watch = new LivenessWatch(new LivenessWatch.Services() {
            @Override
            public Map<String, ServiceProcess> running() {
                synchronized (services) {
                    return new LinkedHashMap<>(services);
                }
            }

            @Override
            public void replace(String name, ServiceProcess restarted) {
                services.put(name, restarted);
            }
        }, every, failures, console);
        watch.start();
    }

    /** How many times the liveness watch restarted {@code service}. */
    public synchronized int restarts(String service) {
        return watch == null ? 0 : watch.restarts(service);
    }

    @Override
    public void close() {
        synchronized (this) {
            if (watch != null) {
                watch.close();
            }
        }
        List<String> names;
        synchronized (services) {
            names = new ArrayList<>(services.keySet());
        }
        java.util.Collections.reverse(names);
        for (String n : names) {
            services.get(n).close();
        }
        services.clear();
        s3.close();
        kafka.close();
    }
}
