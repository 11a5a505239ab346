package io.nnft.planning;

import io.nnft.imageio.NdArray;
import io.nnft.imageio.Nifti;
import io.nnft.imageio.NiftiImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RawFolderCasesTest {

    private static void write(Path file, int z, int y, int x, int value) throws Exception {
        short[] v = new short[z * y * x];
        java.util.Arrays.fill(v, (short) value);
        Files.createDirectories(file.getParent());
        Nifti.write(file, NiftiImage.of(NdArray.ofShorts(new long[]{z, y, x}, v), new double[]{2, 1, 1}));
    }

    @Test
    void casesInNnunetOrder(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("dataset.json"), "{\"channel_names\": {\"0\": \"CT\", \"1\": \"PET\"}, "
                + "\"labels\": {\"background\": 0, \"x\": 1}, \"numTraining\": 3, \"file_ending\": \".nii.gz\"}");
        for (String id : new String[]{"b_10", "a_2", "b_9"}) {
            write(dir.resolve("imagesTr/" + id + "_0000.nii.gz"), 3, 4, 5, 7);
            write(dir.resolve("imagesTr/" + id + "_0001.nii.gz"), 3, 4, 5, 8);
            write(dir.resolve("labelsTr/" + id + ".nii.gz"), 3, 4, 5, 1);
        }
        RawFolderCases raw = RawFolderCases.open(dir);
        assertThat(raw.size()).isEqualTo(3);
        assertThat(raw.caseId(0)).isEqualTo("a_2");
        assertThat(raw.caseId(1)).isEqualTo("b_10");
        assertThat(raw.numberOfChannels()).isEqualTo(2);
        CaseData c = raw.read(1);
        assertThat(c.shape()).containsExactly(3, 4, 5);
        assertThat(c.spacing()).containsExactly(2.0, 1.0, 1.0);
        assertThat(c.channels()[1][0]).isEqualTo(8f);

        Fingerprint fp = new FingerprintExtractor(2, 1e5).extract(raw);
        assertThat(fp.shapesAfterCrop()[0]).containsExactly(3, 4, 5);
        assertThat(fp.foregroundIntensityPropertiesPerChannel().get(1).mean()).isEqualTo(8.0);
        assertThat(fp.foregroundIntensityPropertiesPerChannel().get(1).std()).isEqualTo(0.0);
    }

    @Test
    void brokenCasesNameTheFile(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("dataset.json"), "{\"channel_names\": {\"0\": \"CT\", \"1\": \"PET\"}, "
                + "\"labels\": {\"background\": 0, \"x\": 1}, \"numTraining\": 2, \"file_ending\": \".nii.gz\"}");
        write(dir.resolve("imagesTr/a_0000.nii.gz"), 3, 4, 5, 7);
        write(dir.resolve("imagesTr/a_0001.nii.gz"), 3, 4, 6, 7);
        write(dir.resolve("labelsTr/a.nii.gz"), 3, 4, 5, 1);
        write(dir.resolve("imagesTr/b_0000.nii.gz"), 3, 4, 5, 7);
        write(dir.resolve("imagesTr/b_0001.nii.gz"), 3, 4, 5, 7);
        RawFolderCases raw = RawFolderCases.open(dir);
        assertThatThrownBy(() -> raw.read(0)).isInstanceOf(PlansException.class)
                .hasMessageContaining("a_0001.nii.gz").hasMessageContaining("[3, 4, 6]");
        assertThatThrownBy(() -> raw.read(1)).hasMessageContaining("missing label file").hasMessageContaining("b.nii.gz");
        assertThatThrownBy(() -> new FingerprintExtractor(2, 1e5).extract(raw)).isInstanceOf(PlansException.class);

        assertThatThrownBy(() -> RawFolderCases.open(dir.resolve("nothing")))
                .hasMessageContaining("nothing");
    }

    @Test
    void imagesOnlyTreatTheWholeImageAsForegroundAndStillCheckTheImages(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("dataset.json"), "{\"channel_names\": {\"0\": \"CT\"}, "
                + "\"labels\": {\"background\": 0, \"x\": 1}, \"numTraining\": 2, \"file_ending\": \".nii.gz\"}");
        write(dir.resolve("imagesTr/a_0000.nii.gz"), 3, 4, 5, 7);
        write(dir.resolve("imagesTr/b_0000.nii.gz"), 2, 4, 5, 9);
        RawFolderCases raw = RawFolderCases.open(dir);
        assertThatThrownBy(() -> raw.read(0)).hasMessageContaining("missing label file");
        RawFolderCases images = raw.imagesOnly();
        CaseData a = images.read(0);
        assertThat(a.shape()).containsExactly(3, 4, 5);
        assertThat(a.seg()).hasSize(60).containsOnly(1f);
        Fingerprint fp = new FingerprintExtractor(2, 1e5).extract(images);
        assertThat(fp.shapesAfterCrop()[1]).containsExactly(2, 4, 5);
        assertThat(fp.foregroundIntensityPropertiesPerChannel().get(0).max()).isEqualTo(9.0);
        Files.delete(dir.resolve("imagesTr/b_0000.nii.gz"));
        Files.writeString(dir.resolve("imagesTr/b_0000.nii.gz"), "not a nifti");
        assertThatThrownBy(() -> images.read(1)).hasMessageContaining("b_0000.nii.gz");
    }
}
