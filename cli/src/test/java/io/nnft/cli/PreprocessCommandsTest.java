package io.nnft.cli;

import io.nnft.imageio.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** preprocess / bench preprocess on nnU-Net's ct fixture; bad input exits 2 naming what is wrong. */
class PreprocessCommandsTest {
    private static final Path CT = Path.of(System.getProperty("nnft.fixtures", "../../shared/fixtures"),
            "nnunet-ref", "preprocess", "ct");


    @Test
    void preprocessWritesNnUnetsArraysForTheChosenCases(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        CliRun r = CliRun.run("preprocess", "--raw", CT.resolve("raw").toString(), "--plans", CT.resolve("nnUNetPlans.json").toString(),
                "--configuration", "3d_fullres", "--output", out.toString(), "--cases", "ct_000", "--threads", "2");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("preprocessed 1 cases (3d_fullres)");
        assertThat(Npy.read(out.resolve("ct_000_seg.npy")).toInts())
                .containsExactly(Npy.read(CT.resolve("3d_fullres/seg.npy")).toInts());
        assertThat(Npy.read(out.resolve("ct_000.npy")).shape()).containsExactly(1, 20, 61, 52);
        assertThat(out.resolve("nnUNetPlans.json")).exists();
        assertThat(out.resolve("dataset.json")).exists();
        assertThat(Files.exists(out.resolve("ct_001.npy"))).isFalse();
        // The raw label as nnU-Net keeps it for the final validation, only for the cases preprocessed.
        assertThat(Files.readAllBytes(out.resolve("gt_segmentations/ct_000.nii.gz")))
                .isEqualTo(Files.readAllBytes(CT.resolve("raw/labelsTr/ct_000.nii.gz")));
        assertThat(out.resolve("gt_segmentations/ct_001.nii.gz")).doesNotExist();
    }

    @Test
    void benchPrintsSecondsVoxelsPerSecondAndPeakMemory() {
        CliRun r = CliRun.run("bench", "preprocess", "--raw", CT.resolve("raw").toString(), "--plans",
                CT.resolve("nnUNetPlans.json").toString(), "--configuration", "2d", "--cases", "ct_002", "--threads", "1");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("in_voxels/s").contains("peak_MiB").containsPattern("\\n1\\s+ct_002\\s+[0-9.]+");
    }

    @Test
    void badInputExits2WithOneLine(@TempDir Path dir) {
        CliRun unknownCase = CliRun.run("preprocess", "--raw", CT.resolve("raw").toString(), "--plans",
                CT.resolve("nnUNetPlans.json").toString(), "--configuration", "2d", "--output", dir.toString(),
                "--cases", "ct_404");
        assertThat(unknownCase.exit()).isEqualTo(2);
        assertThat(unknownCase.err()).contains("ct_404").contains("ct_000, ct_001, ct_002");
        CliRun unknownConfig = CliRun.run("preprocess", "--raw", CT.resolve("raw").toString(), "--plans",
                CT.resolve("nnUNetPlans.json").toString(), "--configuration", "3d_lowres", "--output", dir.toString());
        assertThat(unknownConfig.exit()).isEqualTo(2);
        assertThat(unknownConfig.err()).contains("'3d_lowres' not found");
        CliRun noRaw = CliRun.run("preprocess", "--raw", dir.resolve("nothing").toString(), "--plans",
                CT.resolve("nnUNetPlans.json").toString(), "--configuration", "2d", "--output", dir.toString());
        assertThat(noRaw.exit()).isEqualTo(2);
        assertThat(noRaw.err()).contains("--raw");
    }
}
