package io.nnft.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** nnft doctor and nnft check train-step: the contracts acceptance checks call (last line, exit code). */
class DoctorCommandsTest {
    private static final Path TRAIN_STEP = Path.of(System.getProperty("nnft.fixtures", "../../shared/fixtures"),
            "nnunet-ref", "train_step", "e_tiny_iso");

    private static String lastLine(String out) {
        List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
        return lines.get(lines.size() - 1);
    }

    @Test
    void doctorChecksTheDemoPlanAndSaysOk() {
        CliRun r = CliRun.run("doctor", "--plans", "../demo/pretrained/Dataset101_SynthA/plans.json");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(lastLine(r.out())).isEqualTo("doctor: OK");
        assertThat(r.out()).contains("libtorch 2.7.1 (oneDNN 3.7.1)", "cpu isa ", "threads ",
                "nnU-Net step 2: loss 0.54136", "segmentation head 0 conv 8→3 k[1, 1, 1]", "decoder stage 0 conv 16→8",
                "transposed conv 16→8", "DC+CE", "conv backward repair: ");
    }

    @Test
    void trainStepCheckOfNnUNetsReferenceIsOk() {
        CliRun r = CliRun.run("check", "train-step", "--reference", TRAIN_STEP.toString(), "--steps", "2");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("step 1: loss 0.5592", "(reference 0.559284329", "step 2: loss 0.5413");
        assertThat(lastLine(r.out())).matches("train-step check: OK loss \\S+ grad-norm \\S+ params \\S+");
    }

    /** A reference whose step 1 did not move the weights: our step does, so the parameters differ and the check fails. */
    @Test
    void aReferenceWeDoNotReproduceFails(@TempDir Path dir) throws Exception {
        for (String f : List.of("meta.json", "initial.npz", "input.npy", "target.npy")) {
            Files.copy(TRAIN_STEP.resolve(f), dir.resolve(f));
        }
        Files.copy(TRAIN_STEP.resolve("initial.npz"), dir.resolve("step1.npz"), StandardCopyOption.REPLACE_EXISTING);
        CliRun r = CliRun.run("check", "train-step", "--reference", dir.toString(), "--steps", "1");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(lastLine(r.out())).startsWith("train-step check: FAILED loss ");
    }

    @Test
    void aFolderWithoutMetaJsonIsBadInput(@TempDir Path dir) {
        CliRun r = CliRun.run("check", "train-step", "--reference", dir.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("found no meta.json in " + dir);
    }
}
