package io.nnft.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docker-compose.yml parsed as YAML and held against the services it runs. */
class ComposeFileTests {
    private final ComposeFile compose = ComposeFile.load();

    @Test
    void runsTheFiveServicesEachBuiltFromItsJvmDockerfile() {
        for (String name : ServiceConfig.SERVICES) {
            JsonNode build = compose.service(name).path("build");
            assertThat(build.path("context").asText()).as("services.%s.build.context", name).isEqualTo("services/" + name);
            String dockerfile = build.path("dockerfile").asText();
            assertThat(dockerfile).as("services.%s.build.dockerfile", name).isEqualTo("src/main/docker/Dockerfile.jvm");
            assertThat(Files.isRegularFile(Repo.path("services/" + name + "/" + dockerfile)))
                    .as("services/%s/%s exists", name, dockerfile).isTrue();
        }
    }

    @Test
    void runsKafkaInKraftModeAndMinioWithItsBucket() {
        Map<String, String> kafka = compose.environment("kafka");
        assertThat(compose.service("kafka").path("image").asText()).isEqualTo("apache/kafka:4.1.1");
        assertThat(kafka.get("KAFKA_PROCESS_ROLES")).as("KRaft combined node").contains("broker").contains("controller");
        assertThat(kafka).doesNotContainKey("KAFKA_ZOOKEEPER_CONNECT");
        assertThat(kafka.get("KAFKA_ADVERTISED_LISTENERS")).contains("kafka:9092");
        assertThat(compose.service("create-bucket").path("depends_on").path("minio").path("condition").asText())
                .isEqualTo("service_healthy");
        String bucket = compose.environment("gateway").get("NNFT_STORAGE_BUCKET");
        assertThat(compose.service("create-bucket").path("entrypoint").toString()).contains("local/" + bucket);
    }

    @Test
    void trainerReservesOneNvidiaGpu() {
        JsonNode devices = compose.service("trainer").path("deploy").path("resources").path("reservations").path("devices");
        assertThat(devices.isArray()).as("services.trainer.deploy.resources.reservations.devices is a list").isTrue();
        assertThat(devices).hasSize(1);
        JsonNode gpu = devices.get(0);
        assertThat(gpu.path("driver").asText()).isEqualTo("nvidia");
        assertThat(gpu.path("count").asInt()).isEqualTo(1);
        assertThat(gpu.path("capabilities").toString()).isEqualTo("[\"gpu\"]");
        assertThat(compose.environment("trainer").get("NNFT_TRAINER_REQUIRE_GPU")).isEqualTo("true");
        for (String other : List.of("gateway", "planner", "preprocessor", "exporter")) {
            assertThat(compose.service(other).path("deploy").path("resources").path("reservations").has("devices"))
                    .as("%s reserves no GPU", other).isFalse();
        }
    }

    @Test
    void everyServiceIsHealthcheckedOnQuarkusReadinessAtThePortItListensOn() {
        for (String name : ServiceConfig.SERVICES) {
            String port = compose.environment(name).get("QUARKUS_HTTP_PORT");
            assertThat(port).as("services.%s sets QUARKUS_HTTP_PORT (each service has its own default port)", name).isNotNull();
            String test = compose.service(name).path("healthcheck").path("test").toString();
            assertThat(test).as("services.%s.healthcheck.test", name).contains("http://localhost:" + port + "/q/health/ready");
            JsonNode dependsOn = compose.service(name).path("depends_on");
            assertThat(dependsOn.path("kafka").path("condition").asText()).as("%s waits for a healthy kafka", name)
                    .isEqualTo("service_healthy");
            assertThat(dependsOn.path("create-bucket").path("condition").asText()).as("%s waits for the bucket", name)
                    .isEqualTo("service_completed_successfully");
        }
        for (String infrastructure : List.of("kafka", "minio")) {
            assertThat(compose.service(infrastructure).path("healthcheck").path("test").isMissingNode())
                    .as("services.%s.healthcheck", infrastructure).isFalse();
        }
        assertThat(compose.service("trainer").path("stop_grace_period").asText())
                .as("time to write a checkpoint on SIGTERM").isNotEmpty();
    }

    @Test
    void everyServiceEnvironmentNameSetsOneOfItsConfigurationKeys() {
        List<String> unknown = new ArrayList<>();
        for (String name : ServiceConfig.SERVICES) {
            ServiceConfig config = ServiceConfig.of(name);
            for (String variable : compose.environment(name).keySet()) {
                if (config.keyFor(variable).isEmpty()) {
                    unknown.add("services." + name + ".environment." + variable);
                }
            }
        }
        assertThat(unknown).as("%s: environment names that set no configuration key of their service "
                + "(expected the Quarkus env form of a key in the service's application.properties or config sources)",
                ComposeFile.FILE).isEmpty();
    }

    @Test
    void credentialsOnlyComeFromTheEnvironment() {
        List<String> literal = new ArrayList<>();
        compose.serviceNames().forEachRemaining(name -> compose.environment(name).forEach((variable, value) -> {
            if (Secrets.isCredential(variable) && !Secrets.isRequiredInterpolation(value)) {
                literal.add("services." + name + ".environment." + variable + "=" + value);
            }
        }));
        assertThat(literal).as("%s: credentials must be ${VAR:?message} interpolations (no literal, no default)",
                ComposeFile.FILE).isEmpty();
        // The services and MinIO must agree on the one set of credentials.
        assertThat(compose.environment("gateway").get("NNFT_STORAGE_ACCESS_KEY"))
                .startsWith("${" + compose.environment("minio").get("MINIO_ROOT_USER").substring(2).split("[:?}]")[0]);
    }
}
