package io.nnft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nnft.checkpoint.SafeTensors;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** export-encoder on nnU-Net's slim fixture checkpoint; bad input exits 2 naming the file. */
class ExportEncoderCommandTest {
    private static final Path CHECKPOINT = Path.of(System.getProperty("nnft.fixtures", "../../shared/fixtures"),
            "nnunet-ref/checkpoint/e_tiny_iso/nnUNetTrainer__nnUNetPlans_slim__3d_fullres/fold_0/checkpoint_final.pth");


    @Test
    void exportsTheFixtureCheckpoint(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("export");
        CliRun r = CliRun.run("export-encoder", "--checkpoint", CHECKPOINT.toString(), "--output", out.toString(),
                "--classifier-classes", "3");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("exported 32 encoder tensors (55332 parameters)")
                .containsPattern("[0-9a-f]{64} +[0-9]+  encoder\\.safetensors");
        assertThat(SafeTensors.read(out.resolve("encoder.safetensors")).tensors()).hasSize(32);
        assertThat(out.resolve("encoder.pth")).isRegularFile();
        assertThat(out.resolve("nnunet_model/fold_0/checkpoint_final.pth")).isRegularFile();
        assertThat(Files.readString(out.resolve("manifest.json"))).contains("\"num_classes\": 3");
    }

    @Test
    void badInputExitsWithCode2(@TempDir Path dir) throws Exception {
        Path notACheckpoint = dir.resolve("notes.pth");
        Files.writeString(notACheckpoint, "not a zip");
        CliRun r = CliRun.run("export-encoder", "--checkpoint", notACheckpoint.toString(), "--output", dir.resolve("o").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains(notACheckpoint.toString());
        CliRun classes = CliRun.run("export-encoder", "--checkpoint", CHECKPOINT.toString(), "--output", dir.resolve("o").toString(),
                "--classifier-classes", "0");
        assertThat(classes.exit()).isEqualTo(2);
        assertThat(classes.err()).contains("expected at least 1 class, found 0");
    }
}
