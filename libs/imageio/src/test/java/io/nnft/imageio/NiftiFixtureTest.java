package io.nnft.imageio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Axis order, spacing and geometry against what nnU-Net v2.8.1 itself recorded for the same files
 * (fixture preprocess/ct: its dataset_fingerprint.json and the properties of case ct_000).
 */
class NiftiFixtureTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Path resource(String name) {
        try {
            return Path.of(NiftiFixtureTest.class.getResource("/nifti/ct/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(String name) throws IOException {
        try (InputStream in = NiftiFixtureTest.class.getResourceAsStream("/nifti/ct/" + name)) {
            return JSON.readTree(in);
        }
    }

    @Test
    void spacingsAndNonzeroBoxesMatchNnUNetsFingerprint() throws IOException {
        JsonNode fp = json("dataset_fingerprint.json");
        for (int c = 0; c < 3; c++) {
            NiftiImage img = Nifti.read(resource("raw/imagesTr/ct_00" + c + "_0000.nii.gz"));
            assertThat(img.data().dtype()).isEqualTo(DType.INT16);
            double[] expectedSpacing = new double[3];
            long[] expectedCropShape = new long[3];
            for (int i = 0; i < 3; i++) {
                expectedSpacing[i] = fp.get("spacings").get(c).get(i).asDouble();
                expectedCropShape[i] = fp.get("shapes_after_crop").get(c).get(i).asLong();
            }
            // exact: nnU-Net's spacing is float32 pixdim widened to double, z first
            assertThat(img.spacing()).containsExactly(expectedSpacing);
            // nnU-Net crops to the bounding box of nonzero voxels: that box's extent in our (z,y,x)
            // array must be its shape after crop, which pins down the axis order
            int[][] box = nonzeroBox(img);
            for (int i = 0; i < 3; i++) {
                assertThat((long) (box[i][1] - box[i][0])).as("case %d axis %d", c, i).isEqualTo(expectedCropShape[i]);
            }
            NiftiImage seg = Nifti.read(resource("raw/labelsTr/ct_00" + c + ".nii.gz"));
            assertThat(seg.shape()).containsExactly(img.shape());
            assertThat(seg.spacing()).containsExactly(img.spacing());
        }
    }

    @Test
    void shapeBoxAndAffineOfCaseZeroMatchNnUNetsProperties() throws IOException {
        JsonNode props = json("properties_ct_000.json");
        NiftiImage img = Nifti.read(resource("raw/imagesTr/ct_000_0000.nii.gz"));
        long[] before = new long[3];
        for (int i = 0; i < 3; i++) {
            before[i] = props.get("shape_before_cropping").get(i).asLong();
        }
        assertThat(img.shape()).containsExactly(before);
        int[][] box = nonzeroBox(img);
        for (int i = 0; i < 3; i++) {
            assertThat(box[i][0]).isEqualTo(props.get("bbox_used_for_cropping").get(i).get(0).asInt());
            assertThat(box[i][1]).isEqualTo(props.get("bbox_used_for_cropping").get(i).get(1).asInt());
        }
        double[][] affine = img.affine();
        JsonNode expected = props.get("nibabel_stuff").get("original_affine");
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                assertThat(affine[r][c]).as("affine[%d][%d]", r, c).isEqualTo(expected.get(r).get(c).asDouble());
            }
        }
        // SimpleITK reports the same geometry in LPS: x and y negated, so this RAS-flipped file has an
        // identity direction and origin (-120, -95.5, -310)
        assertThat(img.origin()).containsExactly(new double[] {-120, -95.5, -310}, within(1e-5));
        assertThat(img.direction()).containsExactly(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, within(1e-6));
        assertThat(img.sitkSpacing()).containsExactly(0.800000011920929, 0.800000011920929, 3.0);
    }

    /** [axis][lo, hi) of the voxels that are nonzero, on the real (scaled) values. */
    static int[][] nonzeroBox(NiftiImage img) {
        int[] s = img.data().intShape();
        float[] v = img.toFloats();
        int[][] box = {{Integer.MAX_VALUE, -1}, {Integer.MAX_VALUE, -1}, {Integer.MAX_VALUE, -1}};
        int i = 0;
        for (int z = 0; z < s[0]; z++) {
            for (int y = 0; y < s[1]; y++) {
                for (int x = 0; x < s[2]; x++, i++) {
                    if (v[i] != 0) {
                        int[] p = {z, y, x};
                        for (int a = 0; a < 3; a++) {
                            box[a][0] = Math.min(box[a][0], p[a]);
                            box[a][1] = Math.max(box[a][1], p[a] + 1);
                        }
                    }
                }
            }
        }
        return box;
    }
}
