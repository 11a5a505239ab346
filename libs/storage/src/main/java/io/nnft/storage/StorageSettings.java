package io.nnft.storage;

import java.util.Objects;
import java.util.Optional;

/**
 * Where objects live and how to reach them. Values come from configuration or the environment only
 * (services map them from {@code nnft.storage.*}); nothing here has a built-in secret.
 *
 * @param endpoint       S3 endpoint the platform talks to, e.g. {@code http://minio:9000}
 * @param publicEndpoint endpoint presigned URLs are signed for (a URL signed for an in-cluster host is
 *                       useless outside it); empty means {@code endpoint}
 * @param region         signing region; fixed so presigning never needs a network round trip
 * @param accessKey      access key id
 * @param secretKey      secret key
 * @param bucket         the one bucket nnft reads and writes
 */
public record StorageSettings(String endpoint, Optional<String> publicEndpoint, String region,
                              String accessKey, String secretKey, String bucket) {
    public StorageSettings {
        Objects.requireNonNull(endpoint, "storage endpoint");
        Objects.requireNonNull(accessKey, "storage access key");
        Objects.requireNonNull(secretKey, "storage secret key");
        Objects.requireNonNull(bucket, "storage bucket");
        publicEndpoint = publicEndpoint == null ? Optional.empty() : publicEndpoint.filter(s -> !s.isBlank());
        region = region == null || region.isBlank() ? "us-east-1" : region;
    }

    public static StorageSettings of(String endpoint, String accessKey, String secretKey, String bucket) {
        return new StorageSettings(endpoint, Optional.empty(), "us-east-1", accessKey, secretKey, bucket);
    }

    @Override
    public String toString() {
        // Never print the secret.
        return "StorageSettings[endpoint=" + endpoint + ", publicEndpoint=" + publicEndpoint.orElse("-")
                + ", region=" + region + ", bucket=" + bucket + "]";
    }
}
