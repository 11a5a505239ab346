package io.nnft.training;

import java.nio.file.Path;

/** Main for {@link KillAndResumeTest}: trains in a separate JVM so the test can SIGKILL it. */
public final class TrainingProcess {
    private TrainingProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        Path out = Path.of(args[1]);
        boolean resume = args.length > 2 && args[2].equals("resume");
        Trainer.train(SyntheticFolders.inputs(data, out, "all").withResume(resume), KillAndResumeTest.settings(),
                TrainingListener.NONE);
    }
}
