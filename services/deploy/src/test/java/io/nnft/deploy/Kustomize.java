package io.nnft.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@code kubectl kustomize DIR} when kubectl is on PATH, else {@link FallbackKustomize}. */
final class Kustomize {
    // One kubectl run per directory and test JVM (each takes about half a second); the trees are only read.
    private static final Map<String, List<JsonNode>> RENDERED = new ConcurrentHashMap<>();

    private Kustomize() {
    }

    static boolean kubectlAvailable() {
        return Commands.onPath("kubectl").isPresent();
    }

    static List<JsonNode> render(String relativeDir) {
        return kubectlAvailable() ? withKubectl(relativeDir) : FallbackKustomize.render(Repo.path(relativeDir));
    }

    static List<JsonNode> withKubectl(String relativeDir) {
        return RENDERED.computeIfAbsent(relativeDir, Kustomize::runKubectl);
    }

    private static List<JsonNode> runKubectl(String relativeDir) {
        Commands.Result result = Commands.run(List.of("kubectl", "kustomize", relativeDir), Map.of(), List.of());
        if (result.exitCode() != 0) {
            throw new AssertionError("kubectl kustomize " + relativeDir + " failed (exit " + result.exitCode() + "):\n"
                    + result.output());
        }
        return Yaml.documents(result.output());
    }

    static Path dir(String relativeDir) {
        return Repo.path(relativeDir);
    }
}
