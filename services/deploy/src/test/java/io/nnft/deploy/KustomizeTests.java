package io.nnft.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The kustomize base and overlays, rendered (kubectl when present, else {@link FallbackKustomize}) and read
 * with fabric8's Kubernetes model: what every Deployment needs, where the trainer runs, and that every
 * environment name sets a configuration key of its service.
 */
class KustomizeTests {
    private static final String BASE = "k8s/base";
    private static final String DEV = "k8s/overlays/dev";
    private static final String GPU = "k8s/overlays/gpu";
    private static final String KEDA = "k8s/components/keda-trainer-scaling";
    private static final String GPU_RESOURCE = "nvidia.com/gpu";

    @ParameterizedTest
    @ValueSource(strings = {BASE, DEV, GPU})
    void everyServiceHasADeploymentAndAServiceReachingItsHttpPort(String dir) {
        Manifests manifests = Manifests.render(dir);
        for (String name : ServiceConfig.SERVICES) {
            Deployment deployment = manifests.deployment(name);
            Service service = manifests.service("nnft-" + name);
            Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
            assertThat(podLabels).as("%s: Service nnft-%s selects the Deployment's pods", dir, name)
                    .containsAllEntriesOf(service.getSpec().getSelector());
            assertThat(deployment.getSpec().getSelector().getMatchLabels()).as("%s: nnft-%s selector", dir, name)
                    .isEqualTo(service.getSpec().getSelector());
            String target = service.getSpec().getPorts().get(0).getTargetPort().getStrVal();
            assertThat(container(deployment).getPorts()).as("%s: nnft-%s has the port the Service targets", dir, name)
                    .anyMatch(p -> Objects.equals(p.getName(), target));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {BASE, DEV, GPU})
    void everyDeploymentProbesQuarkusHealthAndDeclaresItsResources(String dir) {
        Manifests manifests = Manifests.render(dir);
        String port = manifests.configMap("nnft-config").getData().get("QUARKUS_HTTP_PORT");
        assertThat(port).as("%s: nnft-config sets the port every container listens on", dir).isNotNull();
        for (Deployment deployment : manifests.ofType(Deployment.class)) {
            String where = dir + ": Deployment " + deployment.getMetadata().getName();
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            assertThat(pod.getEnableServiceLinks()).as("%s: enableServiceLinks (docker-link KAFKA_* variables would reach "
                    + "the Kafka clients)", where).isFalse();
            Container container = container(deployment);
            assertThat(container.getPorts()).as("%s: http port", where)
                    .anyMatch(p -> "http".equals(p.getName()) && p.getContainerPort() == Integer.parseInt(port));
            assertHttpProbe(container.getReadinessProbe(), "/q/health/ready", where + " readinessProbe");
            assertHttpProbe(container.getLivenessProbe(), "/q/health/live", where + " livenessProbe");
            Map<String, Quantity> requests = container.getResources().getRequests();
            Map<String, Quantity> limits = container.getResources().getLimits();
            assertThat(requests).as("%s: resources.requests", where).containsKeys("cpu", "memory");
            assertThat(limits).as("%s: resources.limits", where).containsKey("memory");
            assertThat(Quantity.getAmountInBytes(limits.get("memory")))
                    .as("%s: memory limit >= request", where).isGreaterThanOrEqualTo(Quantity.getAmountInBytes(requests.get("memory")));
        }
        for (StatefulSet set : manifests.ofType(StatefulSet.class)) {
            Container container = set.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(container.getReadinessProbe()).as("%s: StatefulSet %s readinessProbe", dir, set.getMetadata().getName()).isNotNull();
            assertThat(container.getLivenessProbe()).as("%s: StatefulSet %s livenessProbe", dir, set.getMetadata().getName()).isNotNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {BASE, DEV, GPU})
    void everyEnvironmentNameSetsAConfigurationKeyOfItsService(String dir) {
        Manifests manifests = Manifests.render(dir);
        List<String> unknown = new ArrayList<>();
        for (String name : ServiceConfig.SERVICES) {
            ServiceConfig config = ServiceConfig.of(name);
            Container container = container(manifests.deployment(name));
            List<String> variables = new ArrayList<>(container.getEnv().stream().map(EnvVar::getName).toList());
            for (EnvFromSource from : container.getEnvFrom()) {
                assertThat(from.getSecretRef()).as("%s: nnft-%s takes no whole Secret as environment", dir, name).isNull();
                ConfigMap map = manifests.configMap(from.getConfigMapRef().getName());
                variables.addAll(map.getData().keySet().stream().map(k -> Objects.toString(from.getPrefix(), "") + k).toList());
            }
            for (String variable : variables) {
                if (config.keyFor(variable).isEmpty()) {
                    unknown.add("nnft-" + name + ": " + variable);
                }
            }
        }
        assertThat(unknown).as("%s: environment names (env and envFrom ConfigMaps) that set no configuration key of their "
                + "service", dir).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {BASE, DEV, GPU})
    void credentialsComeOnlyFromReferencesToOperatorCreatedSecrets(String dir) {
        Manifests manifests = Manifests.render(dir);
        assertThat(manifests.ofType(Secret.class)).as("%s: commits no Secret", dir).isEmpty();
        for (ConfigMap map : manifests.ofType(ConfigMap.class)) {
            assertThat(map.getData().keySet()).as("%s: ConfigMap %s holds no credential", dir, map.getMetadata().getName())
                    .noneMatch(Secrets::isCredential);
        }
        List<String> literal = new ArrayList<>();
        for (PodSpec pod : pods(manifests)) {
            for (Container container : pod.getContainers()) {
                for (EnvVar variable : container.getEnv()) {
                    boolean fromSecret = variable.getValueFrom() != null && variable.getValueFrom().getSecretKeyRef() != null;
                    if (Secrets.isCredential(variable.getName()) && !fromSecret) {
                        literal.add(container.getName() + ": " + variable.getName());
                    }
                }
            }
        }
        assertThat(literal).as("%s: credentials not taken from a secretKeyRef", dir).isEmpty();
        EnvVar accessKey = env(container(manifests.deployment("planner")), "NNFT_STORAGE_ACCESS_KEY");
        assertThat(accessKey.getValueFrom().getSecretKeyRef().getName()).isEqualTo("nnft-s3");
        EnvVar jaas = env(container(manifests.deployment("trainer")), "KAFKA_SASL_JAAS_CONFIG");
        assertThat(jaas.getValueFrom().getSecretKeyRef().getName()).as("Kafka credentials from a Secret").isEqualTo("nnft-kafka");
    }

    @ParameterizedTest
    @ValueSource(strings = {BASE, DEV, GPU})
    void trainerIsRecreatedAndHasTimeToWriteACheckpoint(String dir) {
        Deployment trainer = Manifests.render(dir).deployment("trainer");
        assertThat(trainer.getSpec().getStrategy().getType()).as("%s: trainer strategy", dir).isEqualTo("Recreate");
        assertThat(trainer.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                .as("%s: trainer terminationGracePeriodSeconds", dir).isGreaterThanOrEqualTo(300L);
        EnvVar owner = env(container(trainer), "NNFT_TRAINER_OWNER_ID");
        assertThat(owner.getValueFrom().getFieldRef().getFieldPath()).as("%s: lease owner = pod name", dir).isEqualTo("metadata.name");
    }

    @ParameterizedTest
    @ValueSource(strings = {BASE, DEV, GPU})
    void gatewayHasADisruptionBudgetOverItsPods(String dir) {
        Manifests manifests = Manifests.render(dir);
        PodDisruptionBudget budget = manifests.get(PodDisruptionBudget.class, "nnft-gateway");
        assertThat(manifests.deployment("gateway").getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(budget.getSpec().getSelector().getMatchLabels());
        assertThat(budget.getSpec().getMaxUnavailable()).as("%s: maxUnavailable, so a single replica can still be drained", dir)
                .isNotNull();
    }

    @Test
    void baseRunsTwoGatewaysAndTrainsOnCpu() {
        Manifests base = Manifests.render(BASE);
        assertThat(base.deployment("gateway").getSpec().getReplicas()).isEqualTo(2);
        EnvVar group = env(container(base.deployment("gateway")), "NNFT_GATEWAY_CONSUMER_GROUP");
        assertThat(group.getValueFrom().getFieldRef().getFieldPath()).as("one consumer group per gateway replica").isEqualTo("metadata.name");
        assertTrainsOnCpu(base);
    }

    @Test
    void gpuOverlayPutsTheTrainerOnAGpuNodeAndRequiresTheGpu() {
        Manifests gpu = Manifests.render(GPU);
        Deployment trainer = gpu.deployment("trainer");
        Container container = container(trainer);
        assertThat(container.getResources().getLimits()).as("trainer limits").containsEntry(GPU_RESOURCE, new Quantity("1"));
        PodSpec pod = trainer.getSpec().getTemplate().getSpec();
        assertThat(pod.getNodeSelector()).as("trainer nodeSelector for GPU nodes").containsEntry("nvidia.com/gpu.present", "true");
        assertThat(pod.getTolerations()).as("trainer tolerates the GPU nodes' taint")
                .anyMatch(t -> GPU_RESOURCE.equals(t.getKey()) && "NoSchedule".equals(t.getEffect()) && "Exists".equals(t.getOperator()));
        assertThat(env(container, "NNFT_TRAINER_REQUIRE_GPU").getValue()).isEqualTo("true");
        assertThat(ServiceConfig.of("trainer").keyFor("NNFT_TRAINER_REQUIRE_GPU")).contains("nnft.trainer.require-gpu");
        for (String other : List.of("gateway", "planner", "preprocessor", "exporter")) {
            assertThat(container(gpu.deployment(other)).getResources().getLimits()).as("%s takes no GPU", other)
                    .doesNotContainKey(GPU_RESOURCE);
            assertThat(gpu.deployment(other).getSpec().getTemplate().getSpec().getTolerations()).as("%s stays off GPU nodes", other)
                    .isNullOrEmpty();
        }
    }

    @Test
    void devOverlayRunsKafkaAndMinioInClusterOnOneNode() {
        Manifests dev = Manifests.render(DEV);
        Map<String, String> config = dev.configMap("nnft-config").getData();
        assertTrainsOnCpu(dev);
        assertThat(dev.deployment("gateway").getSpec().getReplicas()).isEqualTo(1);

        StatefulSet kafka = dev.get(StatefulSet.class, "kafka");
        Container broker = kafka.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(broker.getImage()).isEqualTo("apache/kafka:4.1.1");
        assertThat(env(broker, "KAFKA_PROCESS_ROLES").getValue()).as("KRaft combined mode").isEqualTo("broker,controller");
        assertThat(broker.getEnv()).noneMatch(v -> v.getName().contains("ZOOKEEPER"));
        assertThat(kafka.getSpec().getTemplate().getSpec().getEnableServiceLinks()).isFalse();
        String[] bootstrap = config.get("KAFKA_BOOTSTRAP_SERVERS").split(":");
        assertServes(dev.service(bootstrap[0]), Integer.parseInt(bootstrap[1]), kafka.getSpec().getTemplate().getMetadata().getLabels());
        assertThat(env(broker, "KAFKA_ADVERTISED_LISTENERS").getValue()).contains(config.get("KAFKA_BOOTSTRAP_SERVERS"));
        assertThat(config.get("KAFKA_SECURITY_PROTOCOL")).as("the in-cluster broker's listener").isEqualTo("PLAINTEXT");

        StatefulSet minio = dev.get(StatefulSet.class, "minio");
        URI endpoint = URI.create(config.get("NNFT_STORAGE_ENDPOINT"));
        assertServes(dev.service(endpoint.getHost()), endpoint.getPort(), minio.getSpec().getTemplate().getMetadata().getLabels());
        Container server = minio.getSpec().getTemplate().getSpec().getContainers().get(0);
        EnvVar services = env(container(dev.deployment("exporter")), "NNFT_STORAGE_ACCESS_KEY");
        assertThat(env(server, "MINIO_ROOT_USER").getValueFrom().getSecretKeyRef())
                .as("MinIO's root user is the services' access key").isEqualTo(services.getValueFrom().getSecretKeyRef());
        Job bucket = dev.get(Job.class, "nnft-create-bucket");
        assertThat(String.join(" ", bucket.getSpec().getTemplate().getSpec().getContainers().get(0).getCommand()))
                .contains("local/" + config.get("NNFT_STORAGE_BUCKET"));
    }

    @Test
    void kedaComponentScalesTheTrainerOnItsConsumerGroupLag() throws IOException {
        // A throw-away kustomization under target/: the gpu overlay with the optional component switched on.
        Path dir = Repo.path("services/deploy/target/keda-check");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("kustomization.yaml"), "resources:\n  - " + dir.relativize(Repo.path(GPU))
                + "\ncomponents:\n  - " + dir.relativize(Repo.path(KEDA)) + "\n");
        String relative = Repo.root().relativize(dir).toString();
        Manifests manifests = Manifests.of(relative, Kustomize.kubectlAvailable()
                ? Kustomize.withKubectl(relative) : FallbackKustomize.render(dir));

        GenericKubernetesResource scaler = manifests.get(GenericKubernetesResource.class, "nnft-trainer");
        assertThat(scaler.getKind()).isEqualTo("ScaledObject");
        Map<String, Object> spec = scaler.getAdditionalProperties();
        JsonNode tree = new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(spec.get("spec"));
        assertThat(tree.path("scaleTargetRef").path("kind").asText()).isEqualTo("Deployment");
        manifests.get(Deployment.class, tree.path("scaleTargetRef").path("name").asText());
        JsonNode trigger = tree.path("triggers").get(0);
        assertThat(trigger.path("type").asText()).isEqualTo("kafka");
        assertThat(trigger.path("metadata").path("topic").asText()).isEqualTo("nnft.preprocessing-completed");
        String group = ServiceConfig.of("trainer").property("mp.messaging.incoming.preprocessing-completed.group.id")
                .orElse("nnft-trainer");
        assertThat(trigger.path("metadata").path("consumerGroup").asText()).as("the trainer's consumer group").isEqualTo(group);
        assertThat(trigger.path("metadata").path("bootstrapServers").asText())
                .isEqualTo(manifests.configMap("nnft-config").getData().get("KAFKA_BOOTSTRAP_SERVERS"));
        assertThat(tree.path("minReplicaCount").asInt()).as("never scales the trainer to zero while jobs may resume").isPositive();
        // The component is optional: the gpu overlay alone has no ScaledObject.
        assertThat(Manifests.render(GPU).find(GenericKubernetesResource.class, "nnft-trainer")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {BASE, DEV, GPU})
    void fallbackRendererAgreesWithKubectl(String dir) {
        Map<String, JsonNode> fallback = byName(FallbackKustomize.render(Repo.path(dir)));
        assertThat(fallback).as("%s renders without kubectl", dir).isNotEmpty();
        assumeTrue(Kustomize.kubectlAvailable(), "kubectl is not on PATH: only the fallback render is checked");
        Map<String, JsonNode> kubectl = byName(Kustomize.withKubectl(dir));
        assertThat(fallback.keySet()).as("%s: objects", dir).isEqualTo(kubectl.keySet());
        kubectl.forEach((name, object) -> assertThat(fallback.get(name)).as("%s: %s", dir, name).isEqualTo(object));
    }

    @Test
    void aMisspeltFieldIsReportedWithItsPath() {
        String yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\nspec:\n  replicsa: 2\n"
                + "  template:\n    spec:\n      containers:\n        - name: c\n          readinesProbe: {}\n";
        assertThatThrownBy(() -> Manifests.of("inline", Yaml.documents(yaml)))
                .hasMessageContaining("Deployment/a.spec.replicsa")
                .hasMessageContaining("Deployment/a.spec.template.spec.containers[0].readinesProbe");
    }

    private static Map<String, JsonNode> byName(List<JsonNode> objects) {
        Map<String, JsonNode> byName = new TreeMap<>();
        objects.forEach(o -> byName.put(FallbackKustomize.describe(o), o));
        return byName;
    }

    private static void assertTrainsOnCpu(Manifests manifests) {
        Container trainer = container(manifests.deployment("trainer"));
        assertThat(env(trainer, "NNFT_TRAINER_REQUIRE_GPU").getValue()).as("%s: require-gpu", manifests.source()).isEqualTo("false");
        assertThat(trainer.getResources().getLimits()).as("%s: trainer limits", manifests.source()).doesNotContainKey(GPU_RESOURCE);
    }

    private static void assertServes(Service service, int port, Map<String, String> podLabels) {
        assertThat(service.getSpec().getPorts()).as("Service %s port", service.getMetadata().getName()).anyMatch(p -> p.getPort() == port);
        assertThat(podLabels).as("Service %s selects its pods", service.getMetadata().getName())
                .containsAllEntriesOf(service.getSpec().getSelector());
    }

    private static void assertHttpProbe(Probe probe, String path, String where) {
        assertThat(probe).as(where).isNotNull();
        HTTPGetAction get = probe.getHttpGet();
        assertThat(get).as("%s is an httpGet", where).isNotNull();
        assertThat(get.getPath()).as("%s path", where).isEqualTo(path);
        assertThat(get.getPort().getStrVal()).as("%s port", where).isEqualTo("http");
    }

    private static List<PodSpec> pods(Manifests manifests) {
        List<PodSpec> pods = new ArrayList<>();
        manifests.ofType(Deployment.class).forEach(d -> pods.add(d.getSpec().getTemplate().getSpec()));
        manifests.ofType(StatefulSet.class).forEach(s -> pods.add(s.getSpec().getTemplate().getSpec()));
        manifests.ofType(Job.class).forEach(j -> pods.add(j.getSpec().getTemplate().getSpec()));
        return pods;
    }

    private static Container container(Deployment deployment) {
        List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
        assertThat(containers).as("Deployment %s containers", deployment.getMetadata().getName()).hasSize(1);
        return containers.get(0);
    }

    private static EnvVar env(Container container, String name) {
        return container.getEnv().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("container " + container.getName() + ": expected env " + name + ", found "
                        + container.getEnv().stream().map(EnvVar::getName).toList()));
    }
}
