package io.nnft.training;

import io.nnft.training.synth.SyntheticDatasetWriter;
import io.nnft.training.synth.SyntheticGenerator;
import io.nnft.training.synth.SyntheticTask;

import java.io.IOException;
import java.nio.file.Path;

/** Tiny preprocessed synthetic datasets for the loop tests: 24³ cases, patch 16³, slim network. */
final class SyntheticFolders {
    static final int[] PATCH = {16, 16, 16};
    static final int[] SLIM = {4, 8, 16};

    private SyntheticFolders() {
    }

    static Path write(Path dir, SyntheticTask task, int cases, long seed, int[] features) throws IOException {
        SyntheticGenerator g = new SyntheticGenerator(task, new int[] {24, 24, 24}, 1.0, seed);
        SyntheticDatasetWriter.writePreprocessed(dir, task, SyntheticDatasetWriter.cases(g, cases), PATCH, features, 2);
        return dir;
    }

    static TrainingInputs inputs(Path data, Path out, String fold) {
        return TrainingInputs.of(data, data.resolve("nnUNetPlans.json"), "3d_fullres", fold, out);
    }

    static TrainingSettings small(int epochs, int iterations) {
        return new TrainingSettings().epochs(epochs).iterationsPerEpoch(iterations).validationIterations(2)
                .dataThreads(1).prefetch(2).seed(7L).deterministic(true);
    }
}
