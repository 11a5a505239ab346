package io.nnft.preprocessing.io;

import io.nnft.imageio.Npy;
import io.nnft.preprocessing.CtFixtureAccess;
import io.nnft.preprocessing.RawCase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NiftiCaseReaderTest {

    @Test
    void readsCt000AsNibabelDoes() throws IOException {
        Path raw = CtFixtureAccess.dir().resolve("raw");
        RawCaseFiles files = new RawCaseFiles("ct_000", List.of(raw.resolve("imagesTr/ct_000_0000.nii.gz")),
                raw.resolve("labelsTr/ct_000.nii.gz"));
        RawCase c = new NiftiCaseReader("NibabelIO").read(files);
        RawCase expected = CtFixtureAccess.ct000(true);
        assertThat(c.shape()).containsExactly(expected.shape());
        assertThat(c.spacing()).containsExactly(expected.spacing());
        assertThat(c.data()[0]).containsExactly(expected.data()[0]);
        assertThat(c.seg()).containsExactly(expected.seg());
        assertThat(c.readerProperties()).isEqualTo(expected.readerProperties());
    }

    @Test
    void sitkPropertiesUseItkSpacingOrderAndLps() throws IOException {
        Path raw = CtFixtureAccess.dir().resolve("raw");
        RawCase c = new NiftiCaseReader("SimpleITKIO").read(new RawCaseFiles("ct_000",
                List.of(raw.resolve("imagesTr/ct_000_0000.nii.gz")), null));
        // affine diag(-0.8, -0.8, 3) with offset (120, 95.5, -310): LPS origin (-120, -95.5, -310), identity direction
        // (ITK convention as io.nnft.imageio.NiftiImage computes it)
        assertThat(c.readerProperties().get("sitk_stuff").toString()).isEqualTo(
                "{\"spacing\":[0.800000011920929,0.800000011920929,3.0],\"origin\":[-120.0,-95.5,-310.0],"
                        + "\"direction\":[1.0,0.0,0.0,0.0,1.0,0.0,0.0,0.0,1.0]}");
        assertThat(c.seg()).isNull();
    }

    @Test
    void aTruncatedFileIsNamed(@TempDir Path tmp) throws IOException {
        Path src = CtFixtureAccess.dir().resolve("raw/imagesTr/ct_000_0000.nii.gz");
        byte[] all = Files.readAllBytes(src);
        Path broken = tmp.resolve("broken_0000.nii.gz");
        Files.write(broken, java.util.Arrays.copyOf(all, all.length / 2));
        assertThatThrownBy(() -> new NiftiCaseReader("NibabelIO").read(new RawCaseFiles("broken", List.of(broken), null)))
                .isInstanceOf(IOException.class).hasMessageContaining("broken_0000.nii.gz");
        Path notNifti = tmp.resolve("text_0000.nii");
        Files.writeString(notNifti, "x".repeat(400));
        assertThatThrownBy(() -> new NiftiCaseReader("NibabelIO").read(new RawCaseFiles("text", List.of(notNifti), null)))
                .hasMessageContaining("text_0000.nii").hasMessageContaining("not a NIfTI file");
    }

    @Test
    void endToEndFromRawFolderMatchesNnUnet(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("out");
        PreprocessingRun.run(new PreprocessingRun.Options(CtFixtureAccess.dir().resolve("raw"),
                        CtFixtureAccess.dir().resolve("nnUNetPlans.json"), "3d_fullres", out, List.of("ct_000"), 2, 1, false),
                new NiftiCaseReader("NibabelIO"), null);
        float[] ours = Npy.read(out.resolve("ct_000.npy")).toFloats();
        float[] ref = Npy.read(CtFixtureAccess.dir().resolve("3d_fullres/data.npy")).toFloats();
        assertThat(ours).containsExactly(ref, org.assertj.core.data.Offset.offset(1e-5f));
        assertThat(Npy.read(out.resolve("ct_000_seg.npy")).toInts())
                .containsExactly(Npy.read(CtFixtureAccess.dir().resolve("3d_fullres/seg.npy")).toInts());
    }
}
