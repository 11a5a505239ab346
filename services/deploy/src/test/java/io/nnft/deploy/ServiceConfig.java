package io.nnft.deploy;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The configuration keys one service really reads, collected from the repository: its
 * {@code application.properties} (its keys and the keys their {@code ${...}} expressions read), its
 * {@code @ConfigMapping}/{@code @ConfigProperty} sources, and, when it depends on {@code services/common},
 * the common ones ({@code nnft.storage.*}, the shared microprofile-config.properties) plus the Kafka
 * client properties Quarkus passes through from {@code kafka.*} (the {@code default-kafka-broker}
 * configuration every channel inherits).
 */
final class ServiceConfig {
    static final List<String> SERVICES = List.of("gateway", "planner", "preprocessor", "trainer", "exporter");

    /** Quarkus' own keys every nnft service has, whether or not its application.properties names them. */
    private static final Set<String> QUARKUS_CORE = Set.of("quarkus.http.port", "quarkus.http.host", "quarkus.log.level");

    /** The trainer's keys as planned in issue 8, used only while services/trainer declares no nnft.trainer.* key. */
    static final Set<String> PLANNED_TRAINER_KEYS = Set.of(
            "nnft.trainer.require-gpu", "nnft.trainer.work-dir", "nnft.trainer.owner-id", "nnft.trainer.lease-ttl");

    /**
     * The key a {@code ${key}} or {@code ${key:default}} expression in a value reads: a property name (lower case,
     * dotted). An environment name read directly ({@code ${NNFT_TRAINER_REQUIRE_GPU:false}}) already is the env form
     * of the key it sets.
     */
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([a-z0-9][a-z0-9_-]*(?:\\.[a-z0-9_-]+)+)[:}]");

    private final String service;
    private final Set<String> keys;

    private ServiceConfig(String service, Set<String> keys) {
        this.service = service;
        this.keys = keys;
    }

    static ServiceConfig of(String service) {
        Path module = Repo.path("services/" + service);
        if (!Files.isDirectory(module)) {
            throw new IllegalArgumentException("no module services/" + service + " under " + Repo.root());
        }
        Set<String> keys = new TreeSet<>(QUARKUS_CORE);
        keys.addAll(propertiesKeys(module.resolve("src/main/resources/application.properties")));
        keys.addAll(javaKeys(module.resolve("src/main/java")));
        if (usesCommon(module)) {
            Path common = Repo.path("services/common");
            keys.addAll(propertiesKeys(common.resolve("src/main/resources/META-INF/microprofile-config.properties")));
            keys.addAll(javaKeys(common.resolve("src/main/java")));
            kafkaClientKeys(keys);
        }
        if (service.equals("trainer") && keys.stream().noneMatch(k -> k.startsWith("nnft.trainer."))) {
            keys.addAll(PLANNED_TRAINER_KEYS);
        }
        return new ServiceConfig(service, keys);
    }

    String service() {
        return service;
    }

    Set<String> keys() {
        return keys;
    }

    /** The configuration key an environment variable sets in this service, if any. */
    Optional<String> keyFor(String envName) {
        return keys.stream().filter(k -> QuarkusEnv.envName(k).equals(envName)).findFirst();
    }

    /** A property read from the service's application.properties (no profile), if set there. */
    Optional<String> property(String key) {
        Path file = Repo.path("services/" + service + "/src/main/resources/application.properties");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return Optional.ofNullable(load(file).getProperty(key));
    }

    private static boolean usesCommon(Path module) {
        Path pom = module.resolve("pom.xml");
        try {
            return Files.isRegularFile(pom) && Files.readString(pom).contains("<artifactId>nnft-service-common</artifactId>");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pom, e);
        }
    }

    private static void kafkaClientKeys(Set<String> keys) {
        Stream.of(ConsumerConfig.configNames(), ProducerConfig.configNames(), AdminClientConfig.configNames())
                .flatMap(Set::stream)
                .forEach(name -> keys.add("kafka." + name));
    }

    private static Set<String> propertiesKeys(Path file) {
        Set<String> keys = new TreeSet<>();
        if (!Files.isRegularFile(file)) {
            return keys;
        }
        Properties properties = load(file);
        for (String key : properties.stringPropertyNames()) {
            // %dev.kafka.bootstrap.servers configures kafka.bootstrap.servers in the dev profile.
            keys.add(key.replaceFirst("^%[^.]+\\.", ""));
            // quarkus.otel.exporter.otlp.endpoint=${otel.exporter.otlp.endpoint:} reads otel.exporter.otlp.endpoint too.
            Matcher expression = EXPRESSION.matcher(properties.getProperty(key));
            while (expression.find()) {
                keys.add(expression.group(1));
            }
        }
        return keys;
    }

    private static Properties load(Path file) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(Files.readString(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return properties;
    }

    private static Set<String> javaKeys(Path sources) {
        Set<String> keys = new TreeSet<>();
        if (!Files.isDirectory(sources)) {
            return keys;
        }
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                keys.addAll(ConfigMappingKeys.of(Files.readString(file), Repo.root().relativize(file).toString()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sources under " + sources, e);
        }
        return keys;
    }
}
