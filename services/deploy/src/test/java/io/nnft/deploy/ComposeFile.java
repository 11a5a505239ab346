package io.nnft.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** docker-compose.yml at the repository root, anchors and merge keys resolved, interpolations left as written. */
final class ComposeFile {
    static final String FILE = "docker-compose.yml";

    private final JsonNode root;

    private ComposeFile(JsonNode root) {
        this.root = root;
    }

    static ComposeFile load() {
        return new ComposeFile(Yaml.tree(Repo.read(FILE)));
    }

    JsonNode root() {
        return root;
    }

    JsonNode service(String name) {
        JsonNode service = root.path("services").path(name);
        if (!service.isObject()) {
            throw new AssertionError(FILE + ": expected a service '" + name + "' under services:, found "
                    + root.path("services").properties().stream().map(Map.Entry::getKey).toList());
        }
        return service;
    }

    Iterator<String> serviceNames() {
        return root.path("services").fieldNames();
    }

    /** A service's environment, in either compose form (a map, or a list of NAME=value). */
    Map<String, String> environment(String name) {
        JsonNode environment = service(name).path("environment");
        Map<String, String> variables = new LinkedHashMap<>();
        if (environment.isObject()) {
            environment.properties().forEach(e -> variables.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
        } else if (environment.isArray()) {
            for (JsonNode item : environment) {
                String text = item.asText();
                int eq = text.indexOf('=');
                variables.put(eq < 0 ? text : text.substring(0, eq), eq < 0 ? null : text.substring(eq + 1));
            }
        }
        return variables;
    }
}
