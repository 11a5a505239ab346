package io.nnft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real divergence, no fault injection: LR 1e38 turns the weights infinite after the first step, every later loss
 * is NaN and skipped, and after {@code --max-skipped-steps} of them {@code nnft train} exits 1 with the one-line
 * reason, never "completed", and writes no checkpoint_final.pth.
 */
class TrainDivergenceCommandTest {
    @Test
    void aDivergingTrainingExitsNonZeroSayingWhereItDiverged(@TempDir Path dir) {
        Path pre = dir.resolve("pre");
        CliRun s = CliRun.run("synth", "--output", dir.resolve("raw").toString(), "--cases", "3", "--size", "24",
                "--preprocessed", pre.toString(), "--patch", "16");
        assertThat(s.exit()).as(s.err()).isZero();
        Path out = dir.resolve("model");
        CliRun t = CliRun.run("train", "--preprocessed", pre.toString(), "--plans", pre.resolve("nnUNetPlans.json").toString(),
                "--configuration", "3d_fullres", "--fold", "all", "--output", out.toString(), "--epochs", "2",
                "--iterations-per-epoch", "6", "--validation-iterations", "1", "--deterministic", "--lr", "1e38",
                "--max-skipped-steps", "3", "--no-final-validation", "--no-progress-bar", "--data-threads", "1");
        System.out.print("nnft train with --lr 1e38: exit " + t.exit() + ", " + t.err());
        assertThat(t.exit()).as(t.out() + t.err()).isEqualTo(1);
        assertThat(t.err()).matches("(?s)error: training diverged at epoch \\d+, iteration \\d+: "
                + "(loss|grad norm|train loss|validation loss) (NaN|-?Infinity)\\R");
        assertThat(t.out()).contains("step skipped").doesNotContain("completed after");
        assertThat(out.resolve("fold_all/checkpoint_final.pth")).doesNotExist();
        assertThat(out.resolve("fold_all/training_log.json")).content().contains("\"stop_reason\" : \"diverged\"");
    }
}
