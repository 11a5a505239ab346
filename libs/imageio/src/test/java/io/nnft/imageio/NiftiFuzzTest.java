package io.nnft.imageio;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Fuzzes {@link Nifti#read}, plain and gzipped (the reader detects gzip by content, so one target covers
 * .nii and .nii.gz). Contract: an image or a {@link NiftiFormatException}/IOException, which the dataset
 * verifier reports per case; any other throwable, an OOM or a hang stops a service and is a finding.
 * Without JAZZER_FUZZ only the checked-in seeds run (docs/fuzzing.md).
 */
class NiftiFuzzTest {
    private static final Path FILE = FuzzFiles.scratch("image.nii.gz");

    @FuzzTest(maxDuration = "5m")
    void read(byte[] input) {
        FuzzFiles.write(FILE, input);
        try {
            NiftiImage img = Nifti.read(FILE);
            img.data().size();
        } catch (IOException expected) {
            // the documented refusal: a NiftiFormatException naming the problem
        }
    }

    /** Regenerates the seeds: {@code -Dnnft.fuzz.writeSeeds=true -Dtest=NiftiFuzzTest#writeSeeds}. */
    @Test
    @EnabledIfSystemProperty(named = "nnft.fuzz.writeSeeds", matches = "true")
    void writeSeeds() throws IOException {
        Path dir = FuzzFiles.seedDir(Path.of(""), NiftiFuzzTest.class, "read");
        Files.createDirectories(dir);
        short[] v = new short[2 * 3 * 4];
        for (int i = 0; i < v.length; i++) {
            v[i] = (short) (i * 7 - 50);
        }
        NiftiImage img = NiftiImage.of(NdArray.ofShorts(new long[] {2, 3, 4}, v), new double[] {3, 2, 1});
        Path nii = dir.resolve("int16_2x3x4.nii");
        Nifti.write(nii, img);
        Nifti.write(dir.resolve("int16_2x3x4.nii.gz"), img);
        byte[] le = Files.readAllBytes(nii);
        Files.write(dir.resolve("int16_2x3x4_big_endian.nii"), NiftiTestFiles.toBigEndianNifti1(le, 2));
        NiftiImage f = NiftiImage.of(NdArray.ofFloats(new long[] {1, 2, 2}, new float[] {0.5f, -1f, 2f, 3f}),
                new double[] {1, 1, 1});
        NiftiHeader h2 = f.header().copy();
        h2.version = 2;
        Nifti.write(dir.resolve("float32_nifti2.nii"), new NiftiImage(h2, f.data()));
        // edge: header only (truncated voxel data), and a gzip stream cut in the middle
        Files.write(dir.resolve("truncated_data.nii"), java.util.Arrays.copyOf(le, 360));
        byte[] gz = Files.readAllBytes(dir.resolve("int16_2x3x4.nii.gz"));
        Files.write(dir.resolve("truncated_gzip.nii.gz"), java.util.Arrays.copyOf(gz, gz.length / 2));
        // edge: a gzipped header alone that declares 32767^3 int16 voxels (the allocation bomb shape)
        byte[] bomb = NiftiTestFiles.withShort(NiftiTestFiles.withShort(NiftiTestFiles.withShort(le, 42, 32767), 44,
                32767), 46, 32767);
        try (GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("dims_bomb.nii.gz")))) {
            out.write(bomb, 0, 352);
        }
    }
}
