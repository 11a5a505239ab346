package io.nnft.training;

import java.nio.file.Path;

/**
 * Main for {@link KillAndResumeTest}: trains in a separate JVM so the test can SIGKILL it.
 * Arguments: data folder, output folder, fresh|resume, a {@link PausingCheckpointWriter} spec.
 */
public final class TrainingProcess {
    private TrainingProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        Path out = Path.of(args[1]);
        boolean resume = args[2].equals("resume");
        try (SegmentationTask task = SegmentationTask.open(SyntheticFolders.inputs(data, out, "all").withResume(resume),
                KillAndResumeTest.settings())) {
            Trainer.train(task, TrainingListener.NONE, StepDecorator.NONE, PausingCheckpointWriter.parse(args[3]));
        }
    }
}
