package io.nnft.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * YAML to Jackson trees. Loaded through SnakeYAML (the parser under jackson-dataformat-yaml) because
 * compose files use anchors and merge keys ({@code <<: *service-env}), which Jackson's streaming parser
 * reports as the anchor's name instead of resolving.
 */
final class Yaml {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Yaml() {
    }

    static JsonNode tree(String yaml) {
        Object loaded = loader().load(yaml);
        return JSON.valueToTree(loaded);
    }

    /** Every document of a multi-document stream, empty ones dropped. */
    static List<JsonNode> documents(String yaml) {
        List<JsonNode> documents = new ArrayList<>();
        for (Object document : loader().loadAll(yaml)) {
            if (document != null) {
                documents.add(JSON.valueToTree(document));
            }
        }
        return documents;
    }

    private static org.yaml.snakeyaml.Yaml loader() {
        return new org.yaml.snakeyaml.Yaml(new SafeConstructor(new LoaderOptions()));
    }
}
