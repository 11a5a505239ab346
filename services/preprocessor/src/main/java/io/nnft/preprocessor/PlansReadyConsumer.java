package io.nnft.preprocessor;

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
 * job: the same PlansReady again is ignored, another one for the same job dead-lettered
 * ({@link EventIntake#processOnce}).
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
        return intake.processOnce(message, PlansReady.class, JobFailed.Stage.PREPROCESSING, preprocessing::preprocess);
    }
}
