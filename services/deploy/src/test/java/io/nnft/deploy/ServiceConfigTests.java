package io.nnft.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The key collection the compose and k8s checks rely on, against the services' real sources. */
class ServiceConfigTests {

    @Test
    void environmentNamesFollowQuarkusMapping() {
        assertThat(QuarkusEnv.envName("nnft.storage.access-key")).isEqualTo("NNFT_STORAGE_ACCESS_KEY");
        assertThat(QuarkusEnv.envName("kafka.bootstrap.servers")).isEqualTo("KAFKA_BOOTSTRAP_SERVERS");
        assertThat(QuarkusEnv.envName("nnft.exporter.classifier-starter.classes")).isEqualTo("NNFT_EXPORTER_CLASSIFIER_STARTER_CLASSES");
    }

    @Test
    void collectsMappingsPropertiesCommonKeysAndKafkaClientKeys() {
        ServiceConfig exporter = ServiceConfig.of("exporter");
        assertThat(exporter.keys()).contains(
                "nnft.exporter.work-dir",                      // ExporterConfig
                "nnft.exporter.classifier-starter.seed",       // nested group
                "nnft.storage.public-endpoint",                // StorageConfig (services/common)
                "nnft.storage.create-bucket",
                "quarkus.http.port",                           // application.properties
                "kafka.bootstrap.servers",                     // %dev.kafka.bootstrap.servers and the Kafka client keys
                "kafka.sasl.jaas.config");
        assertThat(ServiceConfig.of("gateway").keys()).contains("nnft.gateway.uploads.work-dir", "nnft.gateway.api-keys",
                "nnft.gateway.consumer-group", "quarkus.application.name");
        assertThat(ServiceConfig.of("trainer").keys()).containsAll(ServiceConfig.PLANNED_TRAINER_KEYS);
        // read through an expression of the shared microprofile-config.properties
        assertThat(ServiceConfig.of("planner").keyFor("OTEL_EXPORTER_OTLP_ENDPOINT")).contains("otel.exporter.otlp.endpoint");
    }

    @Test
    void environmentNamesOfOtherServicesOrMisspelledKeysSetNothing() {
        ServiceConfig planner = ServiceConfig.of("planner");
        assertThat(planner.keyFor("NNFT_PLANNER_WORK_DIR")).contains("nnft.planner.work-dir");
        assertThat(planner.keyFor("NNFT_PLANNER_WORKDIR")).isEmpty();
        assertThat(planner.keyFor("NNFT_PREPROCESSOR_THREADS")).isEmpty();
        assertThat(planner.keyFor("NNFT_STORAGE_SECRET")).isEmpty();
        assertThat(planner.keyFor("KAFKA_NO_SUCH_CLIENT_PROPERTY")).isEmpty();
    }

    @Test
    void readsConfigMappingShapesItUnderstandsAndRefusesOthers() {
        String source = """
                @ConfigMapping(prefix = "x.y")
                public interface C {
                    /** ignored(); */
                    @WithDefault("1") int maxJobs();
                    @WithName("renamed") String original();
                    Optional<List<String>> workerJvmOptions();
                    Group group();
                    interface Group { Duration leaseTtl(); }
                }
                """;
        assertThat(ConfigMappingKeys.of(source, "C.java"))
                .containsExactlyInAnyOrder("x.y.max-jobs", "x.y.renamed", "x.y.worker-jvm-options", "x.y.group.lease-ttl");
        String listOfGroups = """
                @ConfigMapping(prefix = "x")
                interface C { List<G> items(); interface G { int a(); } }
                """;
        assertThatThrownBy(() -> ConfigMappingKeys.of(listOfGroups, "C.java"))
                .hasMessageContaining("C.java").hasMessageContaining("List<G>");
    }
}
