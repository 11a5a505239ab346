package io.nnft.planner.messaging;

import io.nnft.events.FineTuneRequested;
import io.nnft.events.JobFailed;
import io.nnft.planner.service.PlanningService;
import io.nnft.services.common.EventIntake;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * What comes in: {@code FineTuneRequested} (one without a job id gets one, {@code JobId.assign}). What goes out:
 * {@code PlansReady} or {@code JobFailed}, once per job: a redelivered request is ignored, a job id reused for
 * another request is dead-lettered ({@link EventIntake#processOncePerJob}).
 */
@ApplicationScoped
public class FineTuneRequestConsumer {
    @Inject
    EventIntake intake;

    @Inject
    PlanningService planning;

    @Incoming("fine-tune-requested")
    @Blocking
    public CompletionStage<Void> consume(Message<byte[]> message) {
        return intake.processOncePerJob(message, FineTuneRequested.class, JobFailed.Stage.PLANNING, planning::plan);
    }
}
