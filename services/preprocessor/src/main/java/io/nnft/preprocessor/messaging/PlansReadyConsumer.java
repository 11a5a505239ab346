package io.nnft.preprocessor.messaging;

import io.nnft.events.JobFailed;
import io.nnft.events.PlansReady;
import io.nnft.preprocessor.service.PreprocessingService;
import io.nnft.services.common.EventIntake;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * What comes in: {@code PlansReady}. What goes out: {@code PreprocessingCompleted} or {@code JobFailed}, once per
 * event: the same PlansReady (id + source) again is ignored; another PlansReady for the job (the planner published
 * again) runs, redoing only the cases without a marker ({@link EventIntake#processOncePerEvent}).
 */
@ApplicationScoped
public class PlansReadyConsumer {
    @Inject
    EventIntake intake;

    @Inject
    PreprocessingService preprocessing;

    @Incoming("plans-ready")
    @Blocking
    public CompletionStage<Void> consume(Message<byte[]> message) {
        return intake.processOncePerEvent(message, PlansReady.class, JobFailed.Stage.PREPROCESSING, preprocessing::preprocess);
    }
}
