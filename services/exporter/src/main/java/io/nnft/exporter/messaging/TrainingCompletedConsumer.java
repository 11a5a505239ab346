package io.nnft.exporter.messaging;

import io.nnft.events.JobFailed;
import io.nnft.events.TrainingCompleted;
import io.nnft.exporter.service.ExportService;
import io.nnft.services.common.EventIntake;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * What comes in: {@code TrainingCompleted}. What goes out: {@code EncoderExported} or {@code JobFailed}. Each event
 * once: a redelivered copy (same CloudEvent id and source) is not exported again, so the job keeps one set of
 * artifacts and one EncoderExported.
 */
@ApplicationScoped
public class TrainingCompletedConsumer {
    @Inject
    EventIntake intake;

    @Inject
    ExportService exports;

    @Incoming("training-completed")
    @Blocking
    public CompletionStage<Void> consume(Message<byte[]> message) {
        return intake.processOncePerEvent(message, TrainingCompleted.class, JobFailed.Stage.EXPORT, exports::export);
    }
}
