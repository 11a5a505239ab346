package io.nnft.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.nnft.cli.Nnft;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./nnft local} end to end on the bundled demo with a tiny budget: the lines users read, the files they get. */
class LocalModeIT {

    @Test
    void localModeFineTunesTheDemoAndPrintsWhereEverythingIs(@TempDir Path dataDir) throws Exception {
        PrintStream oldOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            exit = Nnft.commandLine().execute("local", "--data-dir", dataDir.toString(),
                    "--request", Path.of("src/test/resources/tiny-request.json").toAbsolutePath().toString());
        } finally {
            System.setOut(oldOut);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(printed).isZero();
        List<String> lines = Arrays.asList(printed.split("\n"));
        for (String prefix : List.of("job: ", "checkpoint: ", "progress: ", "encoder: ", "fetch: ")) {
            assertThat(lines).as(printed).anyMatch(l -> l.startsWith(prefix));
        }
        String encoderLine = lines.stream().filter(l -> l.startsWith("encoder: ")).findFirst().orElseThrow();
        Path encoder = Path.of(encoderLine.substring("encoder: ".length(), encoderLine.indexOf(" (")));
        assertThat(Files.size(encoder)).isPositive();
        assertThat(encoderLine).contains("(s3://nnft/jobs/");
        String checkpointLine = lines.stream().filter(l -> l.startsWith("checkpoint: ")).findFirst().orElseThrow();
        assertThat(Path.of(checkpointLine.substring("checkpoint: ".length(), checkpointLine.indexOf(" (")))).exists();
        // What a real client needs, in one 0600 file with exactly these keys, also printed.
        Path env = dataDir.resolve("connection.env");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(env)))
                .isEqualTo("rw-------");
        List<String> keys = Files.readAllLines(env).stream().filter(l -> !l.startsWith("#"))
                .map(l -> l.substring(0, l.indexOf('='))).toList();
        assertThat(keys).containsExactly("KAFKA_BOOTSTRAP_SERVERS", "NNFT_S3_ENDPOINT", "NNFT_S3_ACCESS_KEY",
                "NNFT_S3_SECRET_KEY", "NNFT_S3_BUCKET", "NNFT_GATEWAY_URL", "NNFT_GATEWAY_TOKEN");
        for (String line : Files.readAllLines(env)) {
            if (!line.startsWith("#")) {
                assertThat(printed).contains("  " + line);
            }
        }
        // Nothing is left running: the services' ports are closed once the command returns.
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive).count()).isZero();
    }
}
