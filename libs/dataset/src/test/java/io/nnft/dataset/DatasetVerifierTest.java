package io.nnft.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import io.nnft.imageio.Nifti;
import io.nnft.imageio.NiftiImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetVerifierTest {
    @TempDir
    Path dir;

    private static final int[] SHAPE = {3, 4, 5};
    private static final double[] SPACING = {2.5, 0.75, 0.75};

    @Test
    void theFixtureDatasetPasses() throws IOException {
        VerificationReport r = new DatasetVerifier(2, Nifti.DEFAULT_MAX_BYTES).verify(RawDatasetTest.ctFixture());
        assertThat(r.problems()).isEmpty();
        assertThat(r.caseCount()).isEqualTo(3);
        assertThat(r.isOk()).isTrue();
    }

    @Test
    void aConsistentSyntheticDatasetPassesWithOneOrTwoThreads() throws IOException {
        SyntheticDataset s = new SyntheticDataset(dir, ".nii.gz");
        s.datasetJson(2, 3, 4);
        for (int i = 0; i < 4; i++) {
            s.writeCase("case_" + i, 2, 3, SHAPE, SPACING);
        }
        assertThat(new DatasetVerifier(1, Nifti.DEFAULT_MAX_BYTES).verify(dir).problems()).isEmpty();
        assertThat(new DatasetVerifier(2, Nifti.DEFAULT_MAX_BYTES).verify(dir).problems()).isEmpty();
    }

    @Test
    void everyProblemIsReportedWithWhereExpectedAndFound() throws IOException {
        SyntheticDataset s = new SyntheticDataset(dir, ".nii.gz");
        s.datasetJson(2, 3, 9);
        // a: fine
        s.writeCase("a", 2, 3, SHAPE, SPACING);
        // b: channel 1 missing, label missing
        Nifti.write(s.imageFile("b", 0), SyntheticDataset.image(SHAPE, SPACING, 0));
        // c: label of another shape; channel 1 with another spacing
        Nifti.write(s.imageFile("c", 0), SyntheticDataset.image(SHAPE, SPACING, 0));
        Nifti.write(s.imageFile("c", 1), SyntheticDataset.image(SHAPE, new double[] {3, 0.75, 0.75}, 1));
        Nifti.write(s.labelFile("c"), SyntheticDataset.label(new int[] {3, 5, 4}, SPACING, 3));
        // d: label values 0..4 where 0..2 are declared; label spacing off by 1e-7 relative (allowed)
        s.writeCase("d", 2, 3, SHAPE, SPACING);
        Nifti.write(s.labelFile("d"), SyntheticDataset.label(SHAPE, new double[] {2.5 * (1 + 1e-7), 0.75, 0.75}, 5));
        // e: NaN in a float channel; label spacing off by 1e-3 (refused)
        s.writeCase("e", 2, 3, SHAPE, SPACING);
        float[] v = new float[60];
        v[7] = Float.NaN;
        v[8] = Float.NaN;
        Nifti.write(s.imageFile("e", 1), SyntheticDataset.floats(SHAPE, SPACING, v));
        Nifti.write(s.labelFile("e"), SyntheticDataset.label(SHAPE, new double[] {2.5, 0.75, 0.751}, 3));
        // f: channel 0 truncated; an extra channel index 0002; label moved (origin differs: warning)
        s.writeCase("f", 2, 3, SHAPE, SPACING);
        byte[] bytes = Files.readAllBytes(s.imageFile("f", 0));
        Files.write(s.imageFile("f", 0), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Nifti.write(s.imageFile("f", 2), SyntheticDataset.image(SHAPE, SPACING, 2));
        Nifti.write(s.labelFile("f"), movedLabel());
        // a stray image and an orphan label
        Files.writeString(dir.resolve("imagesTr/notes_.nii.gz"), "x");
        Nifti.write(s.labelFile("zz_orphan"), SyntheticDataset.label(SHAPE, SPACING, 3));

        VerificationReport r = new DatasetVerifier(2, Nifti.DEFAULT_MAX_BYTES).verify(dir);
        List<String> lines = r.problems().stream().map(Object::toString).toList();
        assertThat(r.isOk()).isFalse();
        assertThat(r.caseCount()).isEqualTo(6);
        assertThat(lines).contains(
                "ERROR dataset.json key numTraining: number of training cases: expected 9 (numTraining),"
                        + " found 6 cases in imagesTr",
                "ERROR imagesTr/notes_.nii.gz: image file name: expected <case>_<XXXX>.nii.gz (4-digit channel index),"
                        + " found notes_.nii.gz",
                "WARNING labelsTr/zz_orphan.nii.gz: label file: expected a matching case in imagesTr,"
                        + " found no images for it",
                "ERROR imagesTr/b_0001.nii.gz: channel 1 (ch1) of case b: expected a file, found none",
                "ERROR labelsTr/b.nii.gz: label file of case b: expected a file, found none",
                "ERROR imagesTr/c_0001.nii.gz: spacing (z,y,x): expected [2.5, 0.75, 0.75] (as imagesTr/c_0000.nii.gz),"
                        + " found [3.0, 0.75, 0.75]",
                "ERROR labelsTr/c.nii.gz: shape (z,y,x): expected [3, 4, 5] (as imagesTr/c_0000.nii.gz),"
                        + " found [3, 5, 4]",
                "ERROR labelsTr/d.nii.gz: label values: expected only [0, 1, 2] (dataset.json labels),"
                        + " found [0, 1, 2, 3, 4]; unexpected [3, 4]",
                "ERROR imagesTr/e_0001.nii.gz: NaN voxels: expected none (replace NaN with a meaningful value),"
                        + " found 2 of 60",
                "ERROR imagesTr/f_0002.nii.gz: channel index of case f: expected 0..1 (2 channels in dataset.json"
                        + " channel_names), found 2");
        assertThat(lines).anyMatch(l -> l.startsWith("ERROR labelsTr/e.nii.gz: spacing (z,y,x): expected [2.5, 0.75,"
                + " 0.75] (as imagesTr/e_0000.nii.gz) within rtol 1e-5, found [2.5, 0.75, 0.75"));
        assertThat(lines).anyMatch(l -> l.startsWith("ERROR imagesTr/f_0000.nii.gz: readable NIfTI image:")
                && l.contains("truncated"));
        assertThat(lines).anyMatch(l -> l.startsWith("WARNING labelsTr/f.nii.gz: origin (SimpleITK, LPS)"));
        // nothing reported for the good case a, nor the tolerated label spacing of d
        assertThat(lines).noneMatch(l -> l.contains("/a_") || l.contains("/a."));
        assertThat(lines).noneMatch(l -> l.startsWith("ERROR labelsTr/d.nii.gz: spacing"));
        assertThat(r.errors()).hasSize(lines.size() - r.warnings().size());
        assertThat(r.warnings()).hasSize(2);
    }

    @Test
    void anUnreadableDatasetJsonBecomesTheReport() throws IOException {
        Files.createDirectories(dir.resolve("imagesTr"));
        Files.writeString(dir.resolve("dataset.json"), "{\"labels\": {\"background\": 0}");
        VerificationReport r = new DatasetVerifier().verify(dir);
        assertThat(r.isOk()).isFalse();
        assertThat(r.problems()).hasSize(1);
        assertThat(r.problems().get(0).where()).endsWith("dataset.json");
        assertThat(r.problems().get(0).what()).isEqualTo("JSON syntax");
    }

    @Test
    void aNonNiftiFileEndingIsOneProblemNotOnePerFile() throws IOException {
        SyntheticDataset s = new SyntheticDataset(dir, ".nrrd");
        s.datasetJson(1, 2, 2);
        Files.writeString(s.imageFile("a", 0), "nrrd");
        Files.writeString(s.imageFile("b", 0), "nrrd");
        VerificationReport r = new DatasetVerifier().verify(dir);
        assertThat(r.problems()).extracting(Object::toString).containsExactly(
                "ERROR dataset.json key file_ending: image format: expected \".nii.gz\" or \".nii\" (nnft reads NIfTI"
                        + " only), found \".nrrd\"");
    }

    /** A label whose grid is shifted by 10 mm along x. */
    private static NiftiImage movedLabel() throws IOException {
        NiftiImage base = SyntheticDataset.label(SHAPE, SPACING, 3);
        Path tmp = Files.createTempFile("moved", ".nii");
        try {
            Nifti.write(tmp, base);
            byte[] b = Files.readAllBytes(tmp);
            java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            bb.putFloat(268, 10f); // qoffset_x
            bb.putFloat(280 + 12, 10f); // srow_x[3]
            Files.write(tmp, b);
            return Nifti.read(tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
