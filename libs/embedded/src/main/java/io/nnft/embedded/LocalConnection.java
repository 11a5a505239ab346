package io.nnft.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a real client reaches the local platform: {@code <data-dir>/connection.env}, shell {@code KEY=value} lines
 * with exactly these keys, mode 0600 (it holds the S3 secret and the gateway token). Written as soon as the platform
 * is up; read back at the next start with the same data dir so credentials, bucket and ports survive a restart
 * (presigned URLs and job history stay valid). Sourced by kcat/aws-cli users: {@code set -a; . nnft-data/connection.env}.
 */
public record LocalConnection(String kafkaBootstrapServers, String s3Endpoint, String s3AccessKey, String s3SecretKey,
                              String s3Bucket, String gatewayUrl, String gatewayToken) {
    public static final String FILE = "connection.env";
    public static final List<String> KEYS = List.of("KAFKA_BOOTSTRAP_SERVERS", "NNFT_S3_ENDPOINT", "NNFT_S3_ACCESS_KEY",
            "NNFT_S3_SECRET_KEY", "NNFT_S3_BUCKET", "NNFT_GATEWAY_URL", "NNFT_GATEWAY_TOKEN");

    public Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        List<String> values = List.of(kafkaBootstrapServers, s3Endpoint, s3AccessKey, s3SecretKey, s3Bucket, gatewayUrl,
                gatewayToken);
        for (int i = 0; i < KEYS.size(); i++) {
            m.put(KEYS.get(i), values.get(i));
        }
        return m;
    }

    /** Writes {@code dataDir/connection.env} with mode 0600, replacing it atomically. */
    public Path write(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        StringBuilder text = new StringBuilder("# nnft local platform: source with `set -a; . ").append(file)
                .append("; set +a`\n");
        asMap().forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        try {
            Files.createDirectories(dataDir);
            Path tmp = Files.createTempFile(dataDir, "." + FILE, ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, text);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The previous run's connection, if this data dir has one with every key. */
    public static Optional<LocalConnection> read(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Map<String, String> m = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                int eq = line.indexOf('=');
                if (!line.startsWith("#") && eq > 0) {
                    m.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (!m.keySet().containsAll(KEYS)) {
            return Optional.empty();
        }
        return Optional.of(new LocalConnection(m.get(KEYS.get(0)), m.get(KEYS.get(1)), m.get(KEYS.get(2)),
                m.get(KEYS.get(3)), m.get(KEYS.get(4)), m.get(KEYS.get(5)), m.get(KEYS.get(6))));
    }

    /** {@code port} if it is still free on loopback (a restart gets the previous run's ports back), else 0. */
    public static int reusable(int port) {
        return port > 0 && FreePort.isFree(port) ? port : 0;
    }

    /** The port of a {@code host:port} or URL value; 0 when there is none. */
    public static int port(String hostPortOrUrl) {
        if (hostPortOrUrl == null || hostPortOrUrl.isBlank()) {
            return 0;
        }
        if (hostPortOrUrl.contains("://")) {
            return Math.max(0, URI.create(hostPortOrUrl).getPort());
        }
        try {
            return Integer.parseInt(hostPortOrUrl.substring(hostPortOrUrl.lastIndexOf(':') + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
