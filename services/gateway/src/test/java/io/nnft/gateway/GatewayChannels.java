package io.nnft.gateway;

import io.nnft.services.testing.InMemoryChannelsAndS3;

/**
 * The gateway's fast tier: every channel of {@code messaging/JobEventConsumer} (one per nnft topic) and the outgoing
 * {@code events} in memory, a real S3 server. Every {@code @QuarkusTest} of the gateway but the ITs names this
 * resource, so they share one application.
 */
public class GatewayChannels extends InMemoryChannelsAndS3 {
    public GatewayChannels() {
        super("fine-tune-requested", "plans-ready", "preprocessing-completed", "training-started", "training-progress",
                "training-completed", "encoder-exported", "job-failed", "job-cancel-requested");
    }
}
