package io.nnft.trainer;

import io.nnft.services.testing.InMemoryChannelsAndS3;

/**
 * The trainer's fast tier: its two incoming channels ({@code messaging/}) and the outgoing {@code events} in memory,
 * a real S3 server. Neither the service nor its worker JVMs talk to Kafka but through these channels.
 */
public class TrainerChannels extends InMemoryChannelsAndS3 {
    public TrainerChannels() {
        super("preprocessing-completed", "job-cancel-requested");
    }
}
