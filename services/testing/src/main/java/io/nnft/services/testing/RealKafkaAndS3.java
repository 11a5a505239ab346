package io.nnft.services.testing;

import io.nnft.embedded.EmbeddedKafka;
import io.nnft.storage.ObjectStore;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * The integration tier ({@code *IT}, through {@link IntegrationTier}): gives a {@code @QuarkusTest} a real Kafka broker
 * (KRaft) and a real S3 server ({@link RealS3}), both started in the test JVM on loopback. Set
 * {@code -Dnnft.test.kafka.bootstrap=host:port} and/or {@code -Dnnft.test.s3.endpoint=...} (with
 * {@code nnft.test.s3.access-key}/{@code secret-key}) to run the same tests against an existing cluster instead.
 */
public class RealKafkaAndS3 implements QuarkusTestResourceLifecycleManager {
    private static volatile String bootstrapServers;

    private final RealS3 s3 = new RealS3();
    private EmbeddedKafka kafka;

    @Override
    public Map<String, String> start() {
        bootstrapServers = System.getProperty("nnft.test.kafka.bootstrap");
        if (bootstrapServers == null) {
            kafka = EmbeddedKafka.start();
            bootstrapServers = kafka.bootstrapServers();
        }
        Map<String, String> config = new HashMap<>(s3.start());
        config.put("kafka.bootstrap.servers", bootstrapServers);
        return config;
    }

    @Override
    public void stop() {
        if (kafka != null) {
            kafka.close();
        }
        s3.stop();
    }

    /** The broker the application under test uses. */
    public static String bootstrapServers() {
        return bootstrapServers;
    }

    /** A client on the same bucket the application under test uses. */
    public static ObjectStore store() {
        return RealS3.store();
    }
}
