package io.nnft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nnft.imageio.Nifti;
import io.nnft.imageio.NiftiImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * synth → predict → evaluate with the bundled demo model (a slim network nnft trained on task A): on fresh
 * task-A cases it never saw, the whole-case Dice is close to the pseudo-Dice its training log reports, and the
 * written segmentations keep the inputs' geometry.
 */
class PredictionCommandsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    // Surefire runs in cli/; the demo model is committed at the repository root.
    private static final Path MODEL = Path.of("").toAbsolutePath().getParent().resolve("demo/pretrained/Dataset101_SynthA");

    @Test
    void wholeCaseDiceOfATrainedModelIsCloseToItsPseudoDice(@TempDir Path dir) throws Exception {
        assertThat(MODEL.resolve("fold_all/checkpoint_final.pth")).isRegularFile();
        Path raw = dir.resolve("raw");
        // Seed 77: other cases than the demo's pretraining (seed 1) drew.
        CliRun s = CliRun.run("synth", "--output", raw.toString(), "--cases", "6", "--task", "A", "--seed", "77",
                "--size", "32");
        assertThat(s.exit()).as(s.err()).isZero();

        Path pred = dir.resolve("pred");
        CliRun p = CliRun.run("predict", "--model", MODEL.toString(), "--fold", "all", "--input",
                raw.resolve("imagesTr").toString(), "--output", pred.toString());
        assertThat(p.exit()).as(p.err()).isZero();
        for (int i = 0; i < 6; i++) {
            String id = String.format("synth_%03d", i);
            NiftiImage in = Nifti.read(raw.resolve("imagesTr/" + id + "_0000.nii.gz"));
            NiftiImage out = Nifti.read(pred.resolve(id + ".nii.gz"));
            assertThat(out.data().shape()).isEqualTo(in.data().shape());
            assertThat(out.spacing()).isEqualTo(in.spacing());
            assertThat(out.origin()).isEqualTo(in.origin());
            assertThat(out.direction()).isEqualTo(in.direction());
        }

        Path summary = dir.resolve("summary.json");
        CliRun e = CliRun.run("evaluate", "--reference", raw.resolve("labelsTr").toString(), "--prediction",
                pred.toString(), "--dataset-json", raw.resolve("dataset.json").toString(), "--output", summary.toString());
        assertThat(e.exit()).as(e.err()).isZero();
        assertThat(e.out()).contains("6 cases, foreground mean Dice");

        JsonNode s2 = MAPPER.readTree(summary.toFile());
        assertThat(s2.get("metric_per_case")).hasSize(6);
        JsonNode epochs = MAPPER.readTree(MODEL.resolve("fold_all/training_log.json").toFile()).get("epochs");
        double bestEma = 0;
        for (JsonNode ep : epochs) {
            bestEma = Math.max(bestEma, ep.get("ema_pseudo_dice").asDouble());
        }
        JsonNode lastPseudo = epochs.get(epochs.size() - 1).get("pseudo_dice");
        double dice = s2.get("foreground_mean").get("Dice").asDouble();
        System.out.printf("whole-case Dice %.4f (per class %s) vs best EMA pseudo-Dice %.4f (last epoch %s)%n", dice,
                Arrays.toString(new double[] {s2.get("mean").get("1").get("Dice").asDouble(),
                        s2.get("mean").get("2").get("Dice").asDouble()}), bestEma, lastPseudo);
        assertThat(dice).isGreaterThan(0.8).isCloseTo(bestEma, within(0.1));
        for (int c = 1; c <= 2; c++) {
            assertThat(s2.get("mean").get(String.valueOf(c)).get("Dice").asDouble()).as("class %d", c)
                    .isCloseTo(lastPseudo.get(c - 1).asDouble(), within(0.1));
        }
    }

    @Test
    void evaluateNamesAMissingPrediction(@TempDir Path dir) throws Exception {
        Path raw = dir.resolve("raw");
        assertThat(CliRun.run("synth", "--output", raw.toString(), "--cases", "2", "--size", "16").exit()).isZero();
        Path pred = Files.createDirectories(dir.resolve("pred"));
        Files.copy(raw.resolve("labelsTr/synth_000.nii.gz"), pred.resolve("synth_000.nii.gz"));
        CliRun e = CliRun.run("evaluate", "--reference", raw.resolve("labelsTr").toString(), "--prediction",
                pred.toString(), "--dataset-json", raw.resolve("dataset.json").toString(), "--output",
                dir.resolve("summary.json").toString());
        assertThat(e.exit()).isEqualTo(2);
        assertThat(e.err()).contains("synth_001");
    }
}
