package io.nnft.services.common;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** {@code nnft.storage.*}: where the bucket is. Secrets come from the environment (NNFT_STORAGE_SECRET_KEY). */
@ConfigMapping(prefix = "nnft.storage")
public interface StorageConfig {
    /** S3 endpoint, e.g. http://minio:9000. */
    String endpoint();

    /** Endpoint presigned URLs are signed for, when users reach the store through another host. */
    Optional<String> publicEndpoint();

    @WithDefault("us-east-1")
    String region();

    String accessKey();

    String secretKey();

    @WithDefault("nnft")
    String bucket();

    /** Create the bucket at start-up when missing (local mode and tests; off in production). */
    @WithDefault("false")
    boolean createBucket();
}
