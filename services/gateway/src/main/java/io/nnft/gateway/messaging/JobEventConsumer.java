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
import io.nnft.events.TrainingStarted;
import io.nnft.gateway.service.JobViews;
import io.nnft.services.common.EventIntake;
import io.nnft.services.common.JobTracing;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * What comes in: every nnft topic. What goes out: nothing but dead letters; each valid event updates
 * the job's view ({@link JobViews}). The gateway owns no stage, so it never publishes a JobFailed. A record
 * that a stage consumes too (requests, PlansReady, PreprocessingCompleted, TrainingCompleted, cancellations) is
 * dead-lettered by that stage and only skipped here, so that each bad record is one dead letter; the gateway
 * dead-letters the records of the topics it alone consumes (TrainingStarted, TrainingProgress, EncoderExported, JobFailed).
 */
@ApplicationScoped
public class JobEventConsumer {
    private static final Logger LOG = Logger.getLogger(JobEventConsumer.class);

    @Inject
    EventIntake intake;

    @Inject
    JobViews views;

    @Inject
    JobTracing tracing;

    @Incoming("fine-tune-requested")
    @Blocking
    public CompletionStage<Void> fineTuneRequested(Message<byte[]> m) {
        return observe(m, FineTuneRequested.class, false);
    }

    @Incoming("plans-ready")
    @Blocking
    public CompletionStage<Void> plansReady(Message<byte[]> m) {
        return observe(m, PlansReady.class, false);
    }

    @Incoming("preprocessing-completed")
    @Blocking
    public CompletionStage<Void> preprocessingCompleted(Message<byte[]> m) {
        return observe(m, PreprocessingCompleted.class, false);
    }

    @Incoming("training-started")
    @Blocking
    public CompletionStage<Void> trainingStarted(Message<byte[]> m) {
        return observe(m, TrainingStarted.class, true);
    }

    @Incoming("training-progress")
    @Blocking
    public CompletionStage<Void> trainingProgress(Message<byte[]> m) {
        return observe(m, TrainingProgress.class, true);
    }

    @Incoming("training-completed")
    @Blocking
    public CompletionStage<Void> trainingCompleted(Message<byte[]> m) {
        return observe(m, TrainingCompleted.class, false);
    }

    @Incoming("encoder-exported")
    @Blocking
    public CompletionStage<Void> encoderExported(Message<byte[]> m) {
        return observe(m, EncoderExported.class, true);
    }

    @Incoming("job-failed")
    @Blocking
    public CompletionStage<Void> jobFailed(Message<byte[]> m) {
        return observe(m, JobFailed.class, true);
    }

    @Incoming("job-cancel-requested")
    @Blocking
    public CompletionStage<Void> jobCancelRequested(Message<byte[]> m) {
        return observe(m, JobCancelRequested.class, false);
    }

    /** @param onlyConsumer no stage consumes this topic: the gateway dead-letters what it refuses */
    private CompletionStage<Void> observe(Message<byte[]> message, Class<? extends NnftEvent> type, boolean onlyConsumer) {
        try {
            // a request without job id comes back with the id its planner assigns, so the view follows that job
            // the record's traceparent names the job's trace (the view keeps the first it learns)
            intake.observe(message, type, onlyConsumer)
                    .ifPresent(d -> views.apply(d, tracing.traceIdOf(message).orElse(null)));
        } catch (RuntimeException e) {
            // a status view must never stop the stream: log and go on with the next record
            LOG.errorf(e, "could not apply a record of %s to the job views", type.getSimpleName());
        }
        return message.ack();
    }
}
