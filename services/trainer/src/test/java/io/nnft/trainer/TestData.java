package io.nnft.trainer;

import io.nnft.imageio.NdArray;
import io.nnft.imageio.Nifti;
import io.nnft.imageio.NiftiImage;
import io.nnft.training.synth.SyntheticCase;
import io.nnft.training.synth.SyntheticDatasetWriter;
import io.nnft.training.synth.SyntheticGenerator;
import io.nnft.training.synth.SyntheticTask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A tiny preprocessed dataset in nnU-Net's layout (3 synthetic 24³ cases, z-scored, with class locations,
 * dataset.json, gt_segmentations/ and an nnUNetPlans.json whose 3d_fullres PlainConvUNet has 4/8/16 features and patch 16³), so a
 * training epoch of 2 iterations takes about a second on one core.
 */
public final class TestData {
    public static final int[] PATCH = {16, 16, 16};
    public static final int[] SLIM = {4, 8, 16};

    private TestData() {
    }

    public static Path preprocessed(Path dir) throws IOException {
        SyntheticGenerator g = new SyntheticGenerator(SyntheticTask.A, new int[] {24, 24, 24}, 1.0, 5);
        List<SyntheticCase> cases = SyntheticDatasetWriter.cases(g, 3);
        SyntheticDatasetWriter.writePreprocessed(dir, SyntheticTask.A, cases, PATCH, SLIM, 2);
        // The reference labels, as the preprocessor uploads them beside the cases: training ends with a final validation.
        Path gt = Files.createDirectories(dir.resolve("gt_segmentations"));
        for (SyntheticCase c : cases) {
            long[] shape = {c.shape()[0], c.shape()[1], c.shape()[2]};
            Nifti.write(gt.resolve(c.id() + ".nii.gz"), NiftiImage.of(NdArray.ofShorts(shape, c.labels()),
                    new double[] {1, 1, 1}));
        }
        return dir;
    }

    /**
     * The same cases as a classification set: {@link #preprocessed} plus a classification.csv giving the cases
     * alternately classes "absent" and "present" (what the classifier learns does not matter to the service).
     */
    public static Path classification(Path dir) throws IOException {
        preprocessed(dir);
        List<String> ids;
        try (var files = Files.list(dir)) {
            ids = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")
                    && !n.equals("dataset.json") && !n.equals("nnUNetPlans.json"))
                    .map(n -> n.substring(0, n.length() - ".json".length())).sorted().toList();
        }
        StringBuilder csv = new StringBuilder("case,label\n");
        for (int i = 0; i < ids.size(); i++) {
            csv.append(ids.get(i)).append(i % 2 == 0 ? ",absent\n" : ",present\n");
        }
        Files.writeString(dir.resolve("classification.csv"), csv);
        return dir;
    }
}
