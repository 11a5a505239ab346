package io.nnft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** synth → train (one tiny epoch) → model folder; bad input exits 2 with a one-line reason. */
class TrainingCommandsTest {
    @Test
    void synthThenTrainWritesAnNnUNetModelFolder(@TempDir Path dir) throws Exception {
        Path pre = dir.resolve("pre");
        CliRun s = CliRun.run("synth", "--output", dir.resolve("raw").toString(), "--cases", "3", "--size", "24",
                "--preprocessed", pre.toString(), "--patch", "16");
        assertThat(s.exit()).as(s.err()).isZero();
        assertThat(dir.resolve("raw/imagesTr/synth_002_0000.nii.gz")).isRegularFile();
        Path out = dir.resolve("model");
        CliRun t = CliRun.run("train", "--preprocessed", pre.toString(), "--plans", pre.resolve("nnUNetPlans.json").toString(),
                "--configuration", "3d_fullres", "--fold", "all", "--output", out.toString(), "--epochs", "1",
                "--iterations-per-epoch", "1", "--validation-iterations", "1", "--deterministic", "--freeze", "encoder",
                "--no-progress-bar");
        assertThat(t.exit()).as(t.err()).isZero();
        assertThat(t.out()).contains("completed after 1 epochs").contains("trainable parameters at epoch 0")
                .contains("shorter schedules usually cost Dice");
        for (String f : new String[] {"plans.json", "dataset.json", "fold_all/checkpoint_final.pth",
                "fold_all/checkpoint_best.pth", "fold_all/training_log.json", "fold_all/progress.png"}) {
            assertThat(out.resolve(f)).isRegularFile();
        }
        CliRun bad = CliRun.run("train", "--preprocessed", pre.toString(), "--plans", pre.resolve("nnUNetPlans.json").toString(),
                "--configuration", "3d_fullres", "--fold", "0", "--output", out.toString());
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("at least 5 cases, found 3");
        CliRun badFreeze = CliRun.run("train", "--preprocessed", pre.toString(), "--plans",
                pre.resolve("nnUNetPlans.json").toString(), "--configuration", "3d_fullres", "--fold", "all", "--output",
                out.toString(), "--freeze", "prefixes:nope.");
        assertThat(badFreeze.exit()).isEqualTo(2);
        assertThat(badFreeze.err()).contains("'nope.' matches no parameter");
        Files.writeString(dir.resolve("bad.json"), "[{\"epoch\": 1}]");
        CliRun badSchedule = CliRun.run("train", "--preprocessed", pre.toString(), "--plans",
                pre.resolve("nnUNetPlans.json").toString(), "--configuration", "3d_fullres", "--fold", "all", "--output",
                out.toString(), "--freeze-schedule", dir.resolve("bad.json").toString());
        assertThat(badSchedule.exit()).isEqualTo(2);
        assertThat(badSchedule.err()).contains("unfreezePrefixes");
    }
}
