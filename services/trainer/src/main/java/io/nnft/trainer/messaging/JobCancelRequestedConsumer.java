package io.nnft.trainer.messaging;

import io.nnft.events.JobCancelRequested;
import io.nnft.events.JobFailed;
import io.nnft.services.common.EventIntake;
import io.nnft.trainer.service.TrainingJobs;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * What comes in: {@code JobCancelRequested}. The request is recorded in the ledger; the replica training the
 * job stops its worker at the next iteration (at once when it is this one, else at its next lease renewal) and
 * publishes {@code JobFailed} with {@code cancelled: true}.
 */
@ApplicationScoped
public class JobCancelRequestedConsumer {
    @Inject
    EventIntake intake;

    @Inject
    TrainingJobs jobs;

    @Incoming("job-cancel-requested")
    @Blocking
    public CompletionStage<Void> consume(Message<byte[]> message) {
        return intake.process(message, JobCancelRequested.class, JobFailed.Stage.TRAINING, jobs::cancel);
    }
}
