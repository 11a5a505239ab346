package io.nnft.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Renders a kustomization without kubectl, for machines that have none: resources (files and directories),
 * components, strategic-merge patch files and {@code labels}, which is all nnft's kustomizations use.
 * Anything else fails with the field's name rather than rendering something different from kustomize;
 * {@code KustomizeTests} checks this renderer against {@code kubectl kustomize} where kubectl exists.
 */
final class FallbackKustomize {
    private static final Set<String> UNDERSTOOD = Set.of("apiVersion", "kind", "resources", "components", "patches", "labels");

    private FallbackKustomize() {
    }

    static List<JsonNode> render(Path dir) {
        List<JsonNode> objects = new ArrayList<>();
        apply(dir, objects);
        return objects;
    }

    private static void apply(Path dir, List<JsonNode> objects) {
        Path file = dir.resolve("kustomization.yaml");
        if (!Files.isRegularFile(file)) {
            throw new AssertionError("expected " + file + " (a kustomization), found none");
        }
        JsonNode kustomization = Yaml.tree(read(file));
        kustomization.fieldNames().forEachRemaining(field -> {
            if (!UNDERSTOOD.contains(field)) {
                throw new AssertionError(file + ": field '" + field + "' is not supported by the fallback renderer "
                        + "(it understands " + UNDERSTOOD + "): install kubectl to render it");
            }
        });
        List<JsonNode> own = new ArrayList<>();
        for (JsonNode resource : kustomization.path("resources")) {
            Path path = dir.resolve(resource.asText()).normalize();
            if (Files.isDirectory(path)) {
                own.addAll(render(path));
            } else if (Files.isRegularFile(path)) {
                own.addAll(Yaml.documents(read(path)));
            } else {
                throw new AssertionError(file + ": resource " + resource.asText() + " does not exist (" + path + ")");
            }
        }
        for (JsonNode component : kustomization.path("components")) {
            apply(dir.resolve(component.asText()).normalize(), own);
        }
        for (JsonNode patch : kustomization.path("patches")) {
            if (!patch.has("path") || patch.size() != 1) {
                throw new AssertionError(file + ": patch " + patch + " is not a plain 'path:' strategic-merge patch, "
                        + "which is all the fallback renderer supports");
            }
            Path patchFile = dir.resolve(patch.path("path").asText());
            for (JsonNode document : Yaml.documents(read(patchFile))) {
                int target = find(own, document);
                if (target < 0) {
                    throw new AssertionError(patchFile + ": patches " + describe(document) + ", which none of the resources of "
                            + dir + " defines");
                }
                own.set(target, StrategicMerge.apply(own.get(target), document));
            }
        }
        for (JsonNode labels : kustomization.path("labels")) {
            if (labels.path("includeSelectors").asBoolean(false) || labels.path("includeTemplates").asBoolean(false)) {
                throw new AssertionError(file + ": labels with includeSelectors/includeTemplates are not supported by the "
                        + "fallback renderer");
            }
            for (JsonNode object : own) {
                ObjectNode metadata = (ObjectNode) object.path("metadata");
                ObjectNode objectLabels = metadata.has("labels") ? (ObjectNode) metadata.get("labels") : metadata.putObject("labels");
                labels.path("pairs").properties().forEach(pair -> objectLabels.set(pair.getKey(), pair.getValue()));
            }
        }
        objects.addAll(own);
    }

    private static int find(List<JsonNode> objects, JsonNode patch) {
        for (int i = 0; i < objects.size(); i++) {
            JsonNode object = objects.get(i);
            if (object.path("kind").equals(patch.path("kind"))
                    && object.path("metadata").path("name").equals(patch.path("metadata").path("name"))) {
                return i;
            }
        }
        return -1;
    }

    static String describe(JsonNode object) {
        return object.path("kind").asText() + "/" + object.path("metadata").path("name").asText();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + file, e);
        }
    }
}
