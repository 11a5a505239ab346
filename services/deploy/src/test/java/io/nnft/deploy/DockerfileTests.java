package io.nnft.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The service images: one JVM Dockerfile per service, and the trainer's GPU image pointing DJL at libtorch cu128. */
class DockerfileTests {
    private static final Pattern ENV_PAIR = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S+)");

    @Test
    void everyServiceImageRunsItsQuarkusFastJar() {
        for (String service : ServiceConfig.SERVICES) {
            String file = "services/" + service + "/src/main/docker/Dockerfile.jvm";
            List<String> instructions = instructions(Repo.read(file));
            assertThat(instructions).as("%s copies the fast-jar", file).anyMatch(i -> i.startsWith("COPY") && i.contains("target/quarkus-app/"));
            assertThat(instructions).as("%s has an ENTRYPOINT", file).anyMatch(i -> i.startsWith("ENTRYPOINT"));
            assertThat(instructions).as("%s runs as a non-root user", file).anyMatch(i -> i.matches("USER\\s+[1-9][0-9]*"));
        }
    }

    @Test
    void trainerImageIsCuda128WithLibtorch271Cu128AndDjlPointedAtIt() {
        String file = "services/trainer/src/main/docker/Dockerfile.jvm";
        List<String> instructions = instructions(Repo.read(file));
        List<String> froms = instructions.stream().filter(i -> i.startsWith("FROM")).toList();
        assertThat(froms.get(froms.size() - 1)).as("%s: runtime stage", file).matches("FROM nvidia/cuda:12\\.8\\.\\d+-runtime-.*");
        Map<String, String> env = env(instructions);
        String pytorchVersion = rootPomProperty("pytorch.version");
        assertThat(env).as("%s ENV", file)
                .containsEntry("PYTORCH_VERSION", pytorchVersion)
                .containsEntry("PYTORCH_FLAVOR", "cu128");
        String libraryPath = env.get("PYTORCH_LIBRARY_PATH");
        assertThat(libraryPath).as("%s: PYTORCH_LIBRARY_PATH", file).isNotNull();
        // The directory DJL is pointed at is where the libtorch archive's lib/ lands in the runtime stage.
        String copied = instructions.stream().filter(i -> i.startsWith("COPY --from=libtorch")).findFirst()
                .orElseThrow(() -> new AssertionError(file + ": expected COPY --from=libtorch <dir> <dir>"));
        String[] copy = copied.split("\\s+");
        assertThat(libraryPath).as("%s: PYTORCH_LIBRARY_PATH inside the copied libtorch", file).isEqualTo(copy[copy.length - 1] + "/lib");
        String url = instructions.stream().filter(i -> i.startsWith("ARG LIBTORCH_URL=")).findFirst()
                .orElseThrow(() -> new AssertionError(file + ": expected ARG LIBTORCH_URL=..."));
        assertThat(url).as("%s: the libtorch archive", file).contains("/cu128/").contains("-" + pytorchVersion + "%2Bcu128.zip");
        assertThat(String.join("\n", instructions)).as("%s: DJL never downloads at run time", file).contains("-Dai.djl.offline=true");
    }

    private static String rootPomProperty(String name) {
        Matcher matcher = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</" + Pattern.quote(name) + ">").matcher(Repo.read("pom.xml"));
        if (!matcher.find()) {
            throw new AssertionError("pom.xml: expected the property <" + name + ">");
        }
        return matcher.group(1).trim();
    }

    /** Instructions with continuation lines joined and comments dropped. */
    private static List<String> instructions(String dockerfile) {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : dockerfile.split("\n")) {
            String trimmed = line.trim();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.length() == 0)) {
                continue;
            }
            boolean continues = trimmed.endsWith("\\");
            current.append(continues ? trimmed.substring(0, trimmed.length() - 1) : trimmed).append(' ');
            if (!continues) {
                instructions.add(current.toString().trim().replaceAll("\\s+", " "));
                current.setLength(0);
            }
        }
        return instructions;
    }

    private static Map<String, String> env(List<String> instructions) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String instruction : instructions) {
            if (instruction.startsWith("ENV ")) {
                Matcher pair = ENV_PAIR.matcher(instruction.substring(4));
                while (pair.find()) {
                    env.put(pair.group(1), pair.group(2).replace("\"", ""));
                }
            }
        }
        return env;
    }
}
