package io.nnft.services.testing;

import io.nnft.embedded.EmbeddedS3;
import io.nnft.storage.ObjectStore;
import io.nnft.storage.StorageSettings;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import java.util.UUID;

/**
 * Gives a {@code @QuarkusTest} a real S3 server (s3proxy, SigV4-checking) in the test JVM on loopback, and a fresh
 * bucket on it: object storage is the engines' edge, so even the fast tier talks to a real server. Set
 * {@code -Dnnft.test.s3.endpoint=...} (with {@code nnft.test.s3.access-key}/{@code secret-key}) to use an existing
 * one instead. {@link InMemoryChannelsAndS3} (fast tier) and {@link RealKafkaAndS3} (integration tier) each add
 * their messaging to it.
 */
public class RealS3 implements QuarkusTestResourceLifecycleManager {
    private static volatile ObjectStore store;

    private EmbeddedS3 s3;

    @Override
    public Map<String, String> start() {
        String endpoint = System.getProperty("nnft.test.s3.endpoint");
        String accessKey = System.getProperty("nnft.test.s3.access-key",
                "test-" + UUID.randomUUID().toString().substring(0, 8));
        String secretKey = System.getProperty("nnft.test.s3.secret-key", UUID.randomUUID().toString());
        if (endpoint == null) {
            s3 = EmbeddedS3.start(accessKey, secretKey);
            endpoint = s3.endpoint();
        }
        String bucket = "nnft-test-" + UUID.randomUUID().toString().substring(0, 8);
        store = new ObjectStore(StorageSettings.of(endpoint, accessKey, secretKey, bucket));
        store.ensureBucket();
        return Map.of(
                "nnft.storage.endpoint", endpoint,
                "nnft.storage.access-key", accessKey,
                "nnft.storage.secret-key", secretKey,
                "nnft.storage.bucket", bucket);
    }

    @Override
    public void stop() {
        if (s3 != null) {
            s3.close();
        }
    }

    /** A client on the same bucket the application under test uses. */
    public static ObjectStore store() {
        return store;
    }
}
