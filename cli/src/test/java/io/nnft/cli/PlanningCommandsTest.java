package io.nnft.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** fingerprint / plan against nnU-Net's reference outputs; bad input exits 2 naming the file. */
class PlanningCommandsTest {
    private static final Path REF = Path.of(System.getProperty("nnft.fixtures", "../../shared/fixtures"), "nnunet-ref");


    @Test
    void planWritesNnunetsPlansAndNamesTheDatasetAfterItsFolder(@TempDir Path dir) throws Exception {
        Path ds = dir.resolve("Dataset501_HippocampusLike");
        Files.createDirectories(ds);
        for (String f : new String[]{"dataset.json", "dataset_fingerprint.json"}) {
            Files.copy(REF.resolve("plans/a_hippocampus_like").resolve(f), ds.resolve(f));
        }
        Path out = dir.resolve("out/nnUNetPlans.json");
        CliRun r = CliRun.run("plan", "--dataset-json", ds.resolve("dataset.json").toString(),
                "--fingerprint", ds.resolve("dataset_fingerprint.json").toString(), "--output", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.readString(out)).isEqualTo(Files.readString(REF.resolve("plans/a_hippocampus_like/nnUNetPlans.json")));
        assertThat(r.out()).contains("3d_fullres: patch [40, 56, 40], batch 9");
    }

    @Test
    void incompatiblePretrainedPlansExit2WithReport(@TempDir Path dir) {
        Path out = dir.resolve("nnUNetPlans.json");
        CliRun r = CliRun.run("plan", "--dataset-json", REF.resolve("plans/b_prostate_like/dataset.json").toString(),
                "--fingerprint", REF.resolve("plans/b_prostate_like/dataset_fingerprint.json").toString(),
                "--output", out.toString(), "--dataset-name", "Dataset502_ProstateLike",
                "--pretrained-plans", REF.resolve("checkpoint/e_tiny_iso/nnUNetTrainer__nnUNetPlans_slim__3d_fullres").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("channel_names: pretrained 1, downstream 2");
        assertThat(dir.resolve("compatibility_report.json")).exists();
        assertThat(out).doesNotExist();
    }

    @Test
    void compatiblePretrainedPlansAreWritten(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("nnUNetPlans.json");
        CliRun r = CliRun.run("plan", "--dataset-json", REF.resolve("plans/e_tiny_iso/dataset.json").toString(),
                "--fingerprint", REF.resolve("plans/e_tiny_iso/dataset_fingerprint.json").toString(),
                "--output", out.toString(), "--dataset-name", "Dataset600_Downstream",
                "--pretrained-plans", REF.resolve("checkpoint/e_tiny_iso/nnUNetTrainer__nnUNetPlans_slim__3d_fullres/plans.json").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.readString(out)).contains("\"dataset_name\": \"Dataset600_Downstream\"");
        assertThat(Files.readString(dir.resolve("compatibility_report.json"))).contains("\"compatible\" : true");
    }

    @Test
    void fingerprintOfTheCtRawFolderEqualsNnunets(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("dataset_fingerprint.json");
        CliRun r = CliRun.run("fingerprint", "--raw", REF.resolve("preprocess/ct/raw").toString(), "--output", out.toString(),
                "--threads", "2");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.readString(out)).isEqualTo(Files.readString(REF.resolve("preprocess/ct/dataset_fingerprint.json")));
    }

    @Test
    void badInputExits2NamingTheFile(@TempDir Path dir) throws Exception {
        CliRun r = CliRun.run("fingerprint", "--raw", dir.resolve("missing").toString(), "--output", dir.resolve("f.json").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("missing");

        Path dj = dir.resolve("dataset.json");
        Files.writeString(dj, "{\"channel_names\": {\"0\": \"CT\"}, \"labels\": {\"background\": 0, \"x\": 1}}");
        r = CliRun.run("plan", "--dataset-json", dj.toString(),
                "--fingerprint", REF.resolve("preprocess/ct/dataset_fingerprint.json").toString(),
                "--output", dir.resolve("p.json").toString(), "--dataset-name", "Dataset001_X");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("dataset.json").contains("numTraining");

        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{not json");
        r = CliRun.run("plan", "--dataset-json", broken.toString(),
                "--fingerprint", REF.resolve("preprocess/ct/dataset_fingerprint.json").toString(),
                "--output", dir.resolve("p.json").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("broken.json").contains("not valid JSON");
    }
}
