package io.nnft.classification;

import io.nnft.training.PausingCheckpointWriter;
import io.nnft.training.StepDecorator;
import io.nnft.training.Trainer;
import io.nnft.training.TrainingListener;

import java.nio.file.Path;

/**
 * Main for {@link ClassificationKillAndResumeTest}: trains a classifier in a separate JVM so the test can SIGKILL
 * it. Arguments: preprocessed folder, output folder, fresh|resume, a {@link PausingCheckpointWriter} spec.
 */
public final class ClassificationProcess {
    private ClassificationProcess() {
    }

    public static void main(String[] args) throws Exception {
        ClassificationInputs in = ClassificationKillAndResumeTest.inputs(Path.of(args[0]), Path.of(args[1]))
                .withResume(args[2].equals("resume"));
        try (ClassificationTask task = ClassificationTask.open(in, ClassificationKillAndResumeTest.settings())) {
            Trainer.train(task, TrainingListener.NONE, StepDecorator.NONE, PausingCheckpointWriter.parse(args[3]));
        }
    }
}
