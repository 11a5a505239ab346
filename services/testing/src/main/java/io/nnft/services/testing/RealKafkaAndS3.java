package io.nnft.services.testing;

import io.nnft.embedded.EmbeddedKafka;
import io.nnft.embedded.EmbeddedS3;
import io.nnft.storage.ObjectStore;
import io.nnft.storage.StorageSettings;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Gives a {@code @QuarkusTest} a real Kafka broker (KRaft) and a real S3 server (SigV4-checking), both
 * started in the test JVM on loopback. Set {@code -Dnnft.test.kafka.bootstrap=host:port} and/or
 * {@code -Dnnft.test.s3.endpoint=...} (with {@code nnft.test.s3.access-key}/{@code secret-key}) to run
 * the same tests against an existing cluster instead.
 */
public class RealKafkaAndS3 implements QuarkusTestResourceLifecycleManager {
    private static volatile String bootstrapServers;
    private static volatile ObjectStore store;

    private EmbeddedKafka kafka;
    private EmbeddedS3 s3;

    @Override
    public Map<String, String> start() {
        bootstrapServers = System.getProperty("nnft.test.kafka.bootstrap");
        if (bootstrapServers == null) {
            kafka = EmbeddedKafka.start();
            bootstrapServers = kafka.bootstrapServers();
        }
        String endpoint = System.getProperty("nnft.test.s3.endpoint");
        String accessKey = System.getProperty("nnft.test.s3.access-key", "test-" + UUID.randomUUID().toString().substring(0, 8));
        String secretKey = System.getProperty("nnft.test.s3.secret-key", UUID.randomUUID().toString());
        if (endpoint == null) {
            s3 = EmbeddedS3.start(accessKey, secretKey);
            endpoint = s3.endpoint();
        }
        String bucket = "nnft-test-" + UUID.randomUUID().toString().substring(0, 8);
        store = new ObjectStore(StorageSettings.of(endpoint, accessKey, secretKey, bucket));
        store.ensureBucket();

        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", bootstrapServers);
        config.put("nnft.storage.endpoint", endpoint);
        config.put("nnft.storage.access-key", accessKey);
        config.put("nnft.storage.secret-key", secretKey);
        config.put("nnft.storage.bucket", bucket);
        return config;
    }

    @Override
    public void stop() {
        if (kafka != null) {
            kafka.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    /** The broker the application under test uses. */
    public static String bootstrapServers() {
        return bootstrapServers;
    }

    /** A client on the same bucket the application under test uses. */
    public static ObjectStore store() {
        return store;
    }
}
