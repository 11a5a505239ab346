package io.nnft.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One rendered kustomization as fabric8 Kubernetes model objects (unknown kinds as GenericKubernetesResource). */
final class Manifests {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final String source;
    private final List<HasMetadata> objects;

    private Manifests(String source, List<HasMetadata> objects) {
        this.source = source;
        this.objects = objects;
    }

    static Manifests of(String source, List<JsonNode> documents) {
        List<HasMetadata> objects = new ArrayList<>();
        for (JsonNode document : documents) {
            try {
                KubernetesResource resource = MAPPER.treeToValue(document, KubernetesResource.class);
                if (!(resource instanceof HasMetadata object)) {
                    throw new AssertionError(source + ": " + FallbackKustomize.describe(document) + " is not a Kubernetes object");
                }
                // A misspelt field fails here instead of being dropped by the API server.
                List<String> unknown = UnknownFields.of(object, FallbackKustomize.describe(document));
                if (!unknown.isEmpty()) {
                    throw new AssertionError(source + ": fields the Kubernetes model does not know: " + unknown);
                }
                objects.add(object);
            } catch (JsonProcessingException e) {
                throw new AssertionError(source + ": " + FallbackKustomize.describe(document)
                        + " does not parse as a Kubernetes object: " + e.getOriginalMessage(), e);
            }
        }
        return new Manifests(source, objects);
    }

    static Manifests render(String relativeDir) {
        return of(relativeDir, Kustomize.render(relativeDir));
    }

    String source() {
        return source;
    }

    List<HasMetadata> all() {
        return objects;
    }

    <T extends HasMetadata> List<T> ofType(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
        return ofType(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst();
    }

    <T extends HasMetadata> T get(Class<T> type, String name) {
        return find(type, name).orElseThrow(() -> new AssertionError(source + ": expected a " + type.getSimpleName() + " named "
                + name + ", found " + objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList()));
    }

    Deployment deployment(String service) {
        return get(Deployment.class, "nnft-" + service);
    }

    Service service(String name) {
        return get(Service.class, name);
    }

    ConfigMap configMap(String name) {
        return get(ConfigMap.class, name);
    }
}
