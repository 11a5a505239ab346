package io.nnft.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nnft.imageio.NdArray;
import io.nnft.imageio.Nifti;
import io.nnft.imageio.NiftiImage;
import io.nnft.training.synth.SyntheticCase;
import io.nnft.training.synth.SyntheticDatasetWriter;
import io.nnft.training.synth.SyntheticGenerator;
import io.nnft.training.synth.SyntheticTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Training ends with nnU-Net's final validation when gt_segmentations/ lies beside the preprocessed data. */
class FinalValidationAtEndTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void trainingEndsWithARealValidationOfTheFold(@TempDir Path tmp) throws Exception {
        SyntheticGenerator g = new SyntheticGenerator(SyntheticTask.A, new int[] {24, 24, 24}, 1.0, 1);
        List<SyntheticCase> cases = SyntheticDatasetWriter.cases(g, 4);
        Path data = tmp.resolve("Dataset001/nnUNetPlans_3d_fullres");
        SyntheticDatasetWriter.writePreprocessed(data, SyntheticTask.A, cases, SyntheticFolders.PATCH,
                SyntheticFolders.SLIM, 2);
        // like nnUNet_preprocessed/DatasetXXX/gt_segmentations: beside the configuration's folder
        Path gt = Files.createDirectories(tmp.resolve("Dataset001/gt_segmentations"));
        for (SyntheticCase c : cases) {
            long[] shape = {c.shape()[0], c.shape()[1], c.shape()[2]};
            Nifti.write(gt.resolve(c.id() + ".nii.gz"), NiftiImage.of(NdArray.ofShorts(shape, c.labels()),
                    new double[] {1, 1, 1}));
        }
        String a = cases.get(0).id(), b = cases.get(1).id(), c2 = cases.get(2).id(), d = cases.get(3).id();
        Files.writeString(data.resolve("splits_final.json"), "[{\"train\": [\"" + a + "\", \"" + b + "\"], \"val\": [\""
                + c2 + "\", \"" + d + "\"]}]");
        Path out = tmp.resolve("model");
        List<String> messages = new ArrayList<>();
        TrainingResult<EpochRecord> r = Trainer.train(SyntheticFolders.inputs(data, out, "0"), SyntheticFolders.small(2, 6),
                new TrainingListener() {
                    @Override
                    public void message(String text) {
                        messages.add(text);
                    }
                });

        assertThat(r.finalValidationDice()).isNotNull().isBetween(0.0, 1.0);
        Path validation = out.resolve("fold_0/validation");
        assertThat(validation.resolve(c2 + ".nii.gz")).isRegularFile();
        assertThat(validation.resolve(d + ".nii.gz")).isRegularFile();
        assertThat(validation.resolve(a + ".nii.gz")).doesNotExist();
        JsonNode summary = MAPPER.readTree(Files.readString(validation.resolve("summary.json")).replace("NaN", "null"));
        assertThat(summary.get("metric_per_case")).hasSize(2);
        assertThat(summary.get("foreground_mean").get("Dice").asDouble()).isCloseTo(r.finalValidationDice(), within(1e-12));
        assertThat(messages).anyMatch(m -> m.startsWith("final validation: mean validation Dice"));
    }

    @Test
    void withoutReferencesItIsSkippedAndSaysSo(@TempDir Path tmp) throws Exception {
        Path data = SyntheticFolders.write(tmp.resolve("pre"), SyntheticTask.A, 3, 1, SyntheticFolders.SLIM);
        Path out = tmp.resolve("model");
        List<String> messages = new ArrayList<>();
        TrainingResult<EpochRecord> r = Trainer.train(SyntheticFolders.inputs(data, out, "all"), SyntheticFolders.small(1, 2),
                new TrainingListener() {
                    @Override
                    public void message(String text) {
                        messages.add(text);
                    }
                });
        assertThat(r.finalValidationDice()).isNull();
        assertThat(out.resolve("fold_all/validation")).doesNotExist();
        assertThat(messages).anyMatch(m -> m.startsWith("final validation skipped: no reference segmentations"));
    }
}
