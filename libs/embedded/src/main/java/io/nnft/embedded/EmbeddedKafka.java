package io.nnft.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.Uuid;

import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * A real single-node Kafka broker in KRaft mode (no ZooKeeper, no Docker), bound to loopback on a free
 * port. Tests and {@code ./nnft local} start the same broker the Apache Kafka jars would run in a cluster.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private final EmbeddedKafkaBroker broker;

    private EmbeddedKafka(EmbeddedKafkaBroker broker) {
        this.broker = broker;
    }

    /** Starts a throw-away broker on 127.0.0.1 with a random port; returns once it accepts connections. */
    public static EmbeddedKafka start() {
        return start(Optional.empty(), 0);
    }

    /**
     * @param logDir where the broker keeps its log across restarts (empty: a temporary folder deleted on close). The
     *               cluster id is read back from its meta.properties and the controller port from
     *               {@value #CONTROLLER_PORT_FILE}, so a restart finds its topics, offsets and records again.
     * @param port   the client port, 0 for a free one
     */
    public static EmbeddedKafka start(Optional<Path> logDir, int port) {
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker()
                .withKafkaHost("127.0.0.1")
                .withKafkaPort(port == 0 ? FreePort.find() : port)
                .withDeleteLogDirsOnClose(logDir.isEmpty());
        if (logDir.isPresent()) {
            Path dir = logDir.get().toAbsolutePath();
            broker.withClusterId(clusterId(dir)).withControllerPort(controllerPort(dir));
        } else {
            broker.withControllerPort(FreePort.find());
        }
        // One modifier: the broker keeps only the last one it is given.
        broker.withAdditionalProperties(p -> {
                    logDir.ifPresent(dir -> p.put("log.dir", dir.toAbsolutePath().toString()));
                    // One broker: internal topics cannot be replicated more than once.
                    p.put("offsets.topic.replication.factor", "1");
                    p.put("transaction.state.log.replication.factor", "1");
                    p.put("transaction.state.log.min.isr", "1");
                    p.put("group.initial.rebalance.delay.ms", "0");
                    p.put("auto.create.topics.enable", "true");
                });
        broker.start();
        return new EmbeddedKafka(broker);
    }

    static final String CONTROLLER_PORT_FILE = "nnft-controller.port";

    private static String clusterId(Path dir) {
        Path meta = dir.resolve("meta.properties");
        if (Files.isRegularFile(meta)) {
            Properties p = new Properties();
            try (var in = Files.newInputStream(meta)) {
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the broker's " + meta, e);
            }
            String id = p.getProperty("cluster.id");
            if (id != null && !id.isBlank()) {
                return id;
            }
        }
        return Uuid.randomUuid().toString();
    }

    /** KRaft's static quorum names the controller's port: a restarted broker keeps it. */
    private static int controllerPort(Path dir) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(CONTROLLER_PORT_FILE);
            if (Files.isRegularFile(file)) {
                return Integer.parseInt(Files.readString(file).trim());
            }
            int port = FreePort.find();
            Files.writeString(file, Integer.toString(port));
            return port;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the broker's controller port in " + dir, e);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(dir.resolve(CONTROLLER_PORT_FILE) + ": expected a port number", e);
        }
    }

    /** {@code host:port} for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        String listeners = broker.getAdvertisedListeners();
        // "PLAINTEXT://127.0.0.1:port" → "127.0.0.1:port"
        return listeners.substring(listeners.indexOf("://") + 3);
    }

    /** Creates topics up front so the first publish does not race topic auto-creation. */
    public void createTopics(Collection<String> names, int partitions) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            var missing = names.stream().filter(n -> !existing.contains(n))
                    .map(n -> new NewTopic(n, partitions, (short) 1)).collect(Collectors.toList());
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics " + names, e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("could not create topics " + names + " on " + bootstrapServers(), e);
        }
    }

    @Override
    public void close() {
        broker.close();
    }
}
