package io.nnft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** verify-dataset on nnU-Net's ct fixture (OK, exit 0) and on a broken copy (every problem, exit 2). */
class VerifyDatasetCommandTest {
    private static final Path CT = Path.of(System.getProperty("nnft.fixtures", "../../shared/fixtures"),
            "nnunet-ref/preprocess/ct");


    @Test
    void theFixtureIsOk() {
        CliRun r = CliRun.run("verify-dataset", "--raw", CT.resolve("raw").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("OK: ").contains("3 case(s) verified, 0 error(s), 0 warning(s)");
    }

    @Test
    void aBrokenCopyListsEveryProblemAndExits2(@TempDir Path dir) throws Exception {
        Path raw = dir.resolve("Dataset999_Broken");
        Files.createDirectories(raw.resolve("imagesTr"));
        Files.createDirectories(raw.resolve("labelsTr"));
        Files.writeString(raw.resolve("dataset.json"),
                Files.readString(CT.resolve("dataset.json")).replace("\"numTraining\": 3", "\"numTraining\": 4"));
        for (String c : new String[] {"ct_000", "ct_001", "ct_002"}) {
            Files.copy(CT.resolve("raw/imagesTr/" + c + "_0000.nii.gz"), raw.resolve("imagesTr/" + c + "_0000.nii.gz"));
        }
        Files.copy(CT.resolve("raw/labelsTr/ct_000.nii.gz"), raw.resolve("labelsTr/ct_000.nii.gz"));
        // ct_001's label is ct_002's: another shape and spacing
        Files.copy(CT.resolve("raw/labelsTr/ct_002.nii.gz"), raw.resolve("labelsTr/ct_001.nii.gz"));
        CliRun r = CliRun.run("verify-dataset", "--raw", raw.toString(), "--threads", "2");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).contains("ERROR dataset.json key numTraining: number of training cases: expected 4"
                + " (numTraining), found 3 cases in imagesTr");
        assertThat(r.out()).contains("ERROR labelsTr/ct_001.nii.gz: shape (z,y,x): expected [");
        assertThat(r.out()).contains("ERROR labelsTr/ct_001.nii.gz: spacing (z,y,x): expected [2.5, 0.699999988079071,"
                + " 0.699999988079071] (as imagesTr/ct_001_0000.nii.gz) within rtol 1e-5, found [2.0, 0.75, 0.75]");
        assertThat(r.out()).contains("ERROR labelsTr/ct_002.nii.gz: label file of case ct_002: expected a file,"
                + " found none");
        assertThat(r.err()).contains("verify-dataset: " + raw).contains("in 3 case(s)");
    }
}
