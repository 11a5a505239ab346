package io.nnft.embedded;

import java.net.BindException;
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
 *
 * <p>{@link #stop()} and {@link #restart()} take the server away and bring it back on the same port with the
 * same objects (in memory or in the data directory): an S3 outage as clients see it, for the fault tests.
 */
public final class EmbeddedS3 implements AutoCloseable {
    private final BlobStore store;
    private final int port;
    private final String accessKey;
    private final String secretKey;
    private S3Proxy proxy;

    private EmbeddedS3(BlobStore store, int port, String accessKey, String secretKey) {
        this.store = store;
        this.port = port;
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
        BlobStore store;
        try {
            if (dataDir.isPresent()) {
                Files.createDirectories(dataDir.get());
                store = new FilesystemNio2BlobStore(dataDir.get().toAbsolutePath().toString());
            } else {
                store = new TransientNio2BlobStore();
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not open the embedded S3 server's storage " + dataDir.orElse(null)
                    + ": " + e.getMessage(), e);
        }
        EmbeddedS3 s3 = new EmbeddedS3(store, port == 0 ? FreePort.find() : port, accessKey, secretKey);
        s3.serve(0);
        return s3;
    }

    /** Builds a server on this instance's port and store and waits until it is started. */
    private synchronized void serve(long bindRetryMs) {
        long bindDeadline = System.nanoTime() + bindRetryMs * 1_000_000L;
        while (true) {
            S3Proxy p = S3Proxy.builder()
                    .blobStore(store)
                    .endpoint(URI.create("http://127.0.0.1:" + port))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                    .build();
            try {
                p.start();
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (!"STARTED".equals(p.getState())) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("s3proxy did not start within 30 s on port " + port + ", state "
                                + p.getState());
                    }
                    Thread.sleep(20);
                }
                proxy = p;
                return;
            } catch (Exception e) {
                stopQuietly(p);
                // On a restart the old socket may linger for a moment; wait for the port rather than move.
                if (isBindFailure(e) && System.nanoTime() < bindDeadline) {
                    sleep(100);
                    continue;
                }
                if (e instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException("could not start the embedded S3 server on port " + port + ": "
                        + e.getMessage(), e);
            }
        }
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    /** {@code http://127.0.0.1:port} (the same across {@link #stop()} and {@link #restart()}). */
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    /** True while the server answers requests. */
    public synchronized boolean isRunning() {
        return proxy != null;
    }

    /**
     * Takes the server down: connections are refused until {@link #restart()}. The objects are kept (the
     * in-memory store lives in this instance, a persistent one in its data directory).
     */
    public synchronized void stop() {
        if (proxy == null) {
            return;
        }
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the embedded S3 server on port " + port, e);
        } finally {
            proxy = null;
        }
    }

    /** Serves the same objects on the same port again after {@link #stop()} (waits up to 10 s for the port). */
    public synchronized void restart() {
        if (proxy == null) {
            serve(10_000);
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static void stopQuietly(S3Proxy p) {
        try {
            p.stop();
        } catch (Exception ignored) {
            // It never started.
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for port", e);
        }
    }
}
