package io.nnft.cli;

import io.nnft.training.synth.SyntheticDatasetWriter;
import io.nnft.training.synth.SyntheticGenerator;
import io.nnft.training.synth.SyntheticTask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code nnft synth}: a synthetic nnU-Net raw dataset (imagesTr, labelsTr, dataset.json) of spheres and
 * cubes (task A) or spheres and ellipsoids (task B) of the same intensity in Gaussian noise.
 */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = "Write a synthetic nnU-Net raw dataset (NIfTI + dataset.json) for tests and demos.")
public final class SynthCommand implements Callable<Integer> {
    @Option(names = "--output", required = true, description = "dataset folder to create")
    Path output;

    @Option(names = "--cases", required = true, description = "number of cases")
    int cases;

    @Option(names = "--task", defaultValue = "A", description = "A (spheres vs cubes) or B (spheres vs ellipsoids)")
    String task;

    @Option(names = "--seed", defaultValue = "0", description = "default: ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--size", defaultValue = "48", description = "edge length in voxels (default: ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--noise", defaultValue = "1.0", description = "noise σ; objects have intensity 1.5..2 (default: ${DEFAULT-VALUE})")
    double noise;

    @Option(names = "--preprocessed", description = "also write a preprocessed folder here (z-scored, with nnUNetPlans.json)")
    Path preprocessed;

    @Option(names = "--patch", defaultValue = "32", description = "patch edge for --preprocessed plans (default: ${DEFAULT-VALUE})")
    int patch;

    @Override
    public Integer call() throws IOException {
        SyntheticTask t;
        SyntheticGenerator g;
        try {
            if (cases < 1) {
                throw new IllegalArgumentException("--cases: expected >= 1, found " + cases);
            }
            t = SyntheticTask.parse(task);
            g = new SyntheticGenerator(t, new int[] {size, size, size}, noise, seed);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        var list = SyntheticDatasetWriter.cases(g, cases);
        SyntheticDatasetWriter.writeRaw(output, t, list);
        System.out.println("wrote " + cases + " cases of task " + t + " to " + output);
        if (preprocessed != null) {
            SyntheticDatasetWriter.writePreprocessed(preprocessed, t, list, new int[] {patch, patch, patch},
                    new int[] {16, 32, 64, 128}, 2);
            System.out.println("wrote the preprocessed layout to " + preprocessed);
        }
        return 0;
    }
}
