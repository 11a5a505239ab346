package io.nnft.trainer.messaging;

import io.nnft.events.JobFailed;
import io.nnft.events.PreprocessingCompleted;
import io.nnft.services.common.EventIntake;
import io.nnft.trainer.service.TrainingJobs;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * What comes in: {@code PreprocessingCompleted}. What goes out (later, from the job's worker thread):
 * {@code TrainingProgress} per epoch, then {@code TrainingCompleted} or {@code JobFailed}. The record is
 * acknowledged as soon as the job is in the ledger (seconds), never after the hours of training.
 */
@ApplicationScoped
public class PreprocessingCompletedConsumer {
    @Inject
    EventIntake intake;

    @Inject
    TrainingJobs jobs;

    @Incoming("preprocessing-completed")
    @Blocking
    public CompletionStage<Void> consume(Message<byte[]> message) {
        return intake.process(message, PreprocessingCompleted.class, JobFailed.Stage.TRAINING, jobs::submit);
    }
}
