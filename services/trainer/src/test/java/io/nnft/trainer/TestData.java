package io.nnft.trainer;

import io.nnft.training.synth.SyntheticDatasetWriter;
import io.nnft.training.synth.SyntheticGenerator;
import io.nnft.training.synth.SyntheticTask;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A tiny preprocessed dataset in nnU-Net's layout (3 synthetic 24³ cases, z-scored, with class locations,
 * dataset.json and an nnUNetPlans.json whose 3d_fullres PlainConvUNet has 4/8/16 features and patch 16³), so a
 * training epoch of 2 iterations takes about a second on one core.
 */
public final class TestData {
    public static final int[] PATCH = {16, 16, 16};
    public static final int[] SLIM = {4, 8, 16};

    private TestData() {
    }

    public static Path preprocessed(Path dir) throws IOException {
        SyntheticGenerator g = new SyntheticGenerator(SyntheticTask.A, new int[] {24, 24, 24}, 1.0, 5);
        SyntheticDatasetWriter.writePreprocessed(dir, SyntheticTask.A, SyntheticDatasetWriter.cases(g, 3), PATCH, SLIM, 2);
        return dir;
    }
}
