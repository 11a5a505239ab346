package io.nnft.gateway.messaging;

import io.nnft.events.EncoderExported;
import io.nnft.events.FineTuneRequested;
import io.nnft.events.JobCancelRequested;
import io.nnft.events.JobFailed;
import io.nnft.events.NnftEvent;
import io.nnft.events.PlansReady;
import io.nnft.events.PreprocessingCompleted;
import io.nnft.events.TrainingCompleted;
import io.nnft.events.TrainingProgress;
import io.nnft.gateway.service.JobViews;
import io.nnft.services.common.EventIntake;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * What comes in: every nnft topic. What goes out: nothing but dead letters; each valid event updates
 * the job's view ({@link JobViews}). The gateway owns no stage, so an invalid record is dead-lettered
 * without a JobFailed (the stage consuming it reports that).
 */
@ApplicationScoped
public class JobEventConsumer {
    private static final Logger LOG = Logger.getLogger(JobEventConsumer.class);

    @Inject
    EventIntake intake;

    @Inject
    JobViews views;

    @Incoming("fine-tune-requested")
    @Blocking
    public CompletionStage<Void> fineTuneRequested(Message<byte[]> m) {
        return observe(m, FineTuneRequested.class);
    }

    @Incoming("plans-ready")
    @Blocking
    public CompletionStage<Void> plansReady(Message<byte[]> m) {
        return observe(m, PlansReady.class);
    }

    @Incoming("preprocessing-completed")
    @Blocking
    public CompletionStage<Void> preprocessingCompleted(Message<byte[]> m) {
        return observe(m, PreprocessingCompleted.class);
    }

    @Incoming("training-progress")
    @Blocking
    public CompletionStage<Void> trainingProgress(Message<byte[]> m) {
        return observe(m, TrainingProgress.class);
    }

    @Incoming("training-completed")
    @Blocking
    public CompletionStage<Void> trainingCompleted(Message<byte[]> m) {
        return observe(m, TrainingCompleted.class);
    }

    @Incoming("encoder-exported")
    @Blocking
    public CompletionStage<Void> encoderExported(Message<byte[]> m) {
        return observe(m, EncoderExported.class);
    }

    @Incoming("job-failed")
    @Blocking
    public CompletionStage<Void> jobFailed(Message<byte[]> m) {
        return observe(m, JobFailed.class);
    }

    @Incoming("job-cancel-requested")
    @Blocking
    public CompletionStage<Void> jobCancelRequested(Message<byte[]> m) {
        return observe(m, JobCancelRequested.class);
    }

    private CompletionStage<Void> observe(Message<byte[]> message, Class<? extends NnftEvent> type) {
        try {
            intake.observe(message, type).ifPresent(decoded -> {
                if (decoded.jobId() == null) {
                    // only a FineTuneRequested published by someone else without an id; its receiver assigns one
                    LOG.infof("ignoring a %s without a job id", decoded.type().eventName());
                } else {
                    views.apply(decoded);
                }
            });
        } catch (RuntimeException e) {
            // a status view must never stop the stream: log and go on with the next record
            LOG.errorf(e, "could not apply a record of %s to the job views", type.getSimpleName());
        }
        return message.ack();
    }
}
