package io.nnft.embedded;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * A real S3-compatible HTTP server (s3proxy) on loopback. Requests are authenticated with SigV4, so a
 * signing bug in our client shows here exactly as it would against MinIO. In-memory by default;
 * with a data directory objects survive restarts (the local mode keeps its bucket between runs).
 */
public final class EmbeddedS3 implements AutoCloseable {
    private final S3Proxy proxy;
    private final String accessKey;
    private final String secretKey;

    private EmbeddedS3(S3Proxy proxy, String accessKey, String secretKey) {
        this.proxy = proxy;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    /** Starts an in-memory server with the given credentials on a free loopback port. */
    public static EmbeddedS3 start(String accessKey, String secretKey) {
        return start(accessKey, secretKey, Optional.empty(), 0);
    }

    /**
     * Starts a server; {@code dataDir} makes it persistent, {@code port} 0 picks a free one.
     */
    public static EmbeddedS3 start(String accessKey, String secretKey, Optional<Path> dataDir, int port) {
        try {
            BlobStore store;
            if (dataDir.isPresent()) {
                Files.createDirectories(dataDir.get());
                store = new FilesystemNio2BlobStore(dataDir.get().toAbsolutePath().toString());
            } else {
                store = new TransientNio2BlobStore();
            }
            int p = port == 0 ? FreePort.find() : port;
            S3Proxy proxy = S3Proxy.builder()
                    .blobStore(store)
                    .endpoint(URI.create("http://127.0.0.1:" + p))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                    .build();
            proxy.start();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!"STARTED".equals(proxy.getState())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("s3proxy did not start within 30 s, state " + proxy.getState());
                }
                Thread.sleep(20);
            }
            return new EmbeddedS3(proxy, accessKey, secretKey);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("could not start the embedded S3 server: " + e.getMessage(), e);
        }
    }

    /** {@code http://127.0.0.1:port}. */
    public String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the embedded S3 server", e);
        }
    }
}
