package io.nnft.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** {@code nnft.gateway.*}. API keys come from the environment (NNFT_GATEWAY_API_KEYS) or a Secret. */
@ConfigMapping(prefix = "nnft.gateway")
public interface GatewayConfig {
    /** Bearer tokens accepted by the API; none configured means every protected call is refused. */
    Optional<List<String>> apiKeys();

    Auth auth();

    /** How long finished jobs keep preprocessed arrays and checkpoint_latest.pth. */
    @WithDefault("7d")
    Duration retention();

    /** How often the retention sweep runs (a Quarkus scheduler interval, e.g. 1h). */
    @WithDefault("1h")
    String retentionCheck();

    /**
     * Base of the job views' Kafka consumer groups ({@code <base>.<channel>}): one per gateway deployment,
     * or one per replica when several run (each then reads the topics from the beginning).
     */
    @WithDefault("nnft-gateway")
    String consumerGroup();

    /** Validity of the presigned URLs handed out by {@code GET /jobs/{id}/artifacts}. */
    @WithDefault("1h")
    Duration urlExpiry();

    Uploads uploads();

    interface Auth {
        /** Off only behind another authenticating layer (e.g. quarkus-oidc, see the README). */
        @WithDefault("true")
        boolean enabled();

        /** Path prefixes served without a token. */
        @WithDefault("/q/health,/q/openapi")
        List<String> openPaths();
    }

    interface Uploads {
        /** Scratch folder where uploaded dataset zips are unpacked and verified. */
        Path workDir();

        /** Largest zip accepted by POST /datasets. */
        @WithDefault("8589934592")
        long maxZipBytes();

        /** Largest total size of the unpacked files (8 GiB; zip bombs stop here at the latest). */
        @WithDefault("8589934592")
        long maxUnpackedBytes();

        /** Largest unpacked file (4 GiB: an uncompressed whole-body CT is well under). */
        @WithDefault("4294967296")
        long maxEntryBytes();

        @WithDefault("100000")
        int maxEntries();

        /** Largest unpacked : compressed ratio of one file, judged while streaming (a zip bomb reaches ~1000). */
        @WithDefault("100")
        double maxCompressionRatio();
    }
}
