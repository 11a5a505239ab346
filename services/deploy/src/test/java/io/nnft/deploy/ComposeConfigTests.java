package io.nnft.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Compose's own validation of docker-compose.yml ({@code docker-compose config -q}, Debian's package, or the
 * {@code docker compose} plugin), skipped on machines that have neither.
 */
class ComposeConfigTests {
    private static final List<String> CREDENTIALS = List.of("NNFT_S3_ACCESS_KEY", "NNFT_S3_SECRET_KEY", "NNFT_GATEWAY_API_KEYS");

    private static List<String> compose;

    @BeforeAll
    static void findCompose() {
        compose = composeCommand().orElse(null);
    }

    private static Optional<List<String>> composeCommand() {
        if (Commands.onPath("docker-compose").isPresent()) {
            return Optional.of(List.of("docker-compose"));
        }
        if (Commands.onPath("docker").isPresent()
                && Commands.run(List.of("docker", "compose", "version"), Map.of(), List.of()).exitCode() == 0) {
            return Optional.of(List.of("docker", "compose"));
        }
        return Optional.empty();
    }

    private static Commands.Result config(Map<String, String> set, List<String> unset) {
        List<String> command = new java.util.ArrayList<>(compose);
        command.addAll(List.of("-f", ComposeFile.FILE, "config", "-q"));
        return Commands.run(command, set, unset);
    }

    @Test
    void composeAcceptsTheFileWhenTheCredentialsAreGiven() {
        assumeTrue(compose != null, "neither docker-compose nor the docker compose plugin is on PATH");
        Commands.Result result = config(Map.of(
                "NNFT_S3_ACCESS_KEY", "placeholder-access", "NNFT_S3_SECRET_KEY", "placeholder-secret",
                "NNFT_GATEWAY_API_KEYS", "placeholder-token"), List.of("NNFT_PUBLIC_S3_ENDPOINT"));
        assertThat(result.exitCode()).as("%s config -q said:%n%s", compose, result.output()).isZero();
    }

    @Test
    void composeRefusesToStartWithoutEachCredential() {
        assumeTrue(compose != null, "neither docker-compose nor the docker compose plugin is on PATH");
        for (String missing : CREDENTIALS) {
            Map<String, String> given = new java.util.HashMap<>();
            CREDENTIALS.stream().filter(c -> !c.equals(missing)).forEach(c -> given.put(c, "placeholder"));
            Commands.Result result = config(given, List.of(missing));
            assertThat(result.exitCode()).as("%s config -q without %s", compose, missing).isNotZero();
            assertThat(result.output()).as("the refusal names the missing variable").contains(missing);
        }
    }
}
