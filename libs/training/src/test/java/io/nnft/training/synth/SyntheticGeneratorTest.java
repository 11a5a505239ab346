package io.nnft.training.synth;

import io.nnft.imageio.Nifti;
import io.nnft.imageio.NiftiImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SyntheticGeneratorTest {
    @Test
    void classesShareTheIntensityRangeAndDifferInShape() {
        SyntheticGenerator g = new SyntheticGenerator(SyntheticTask.A, new int[] {32, 32, 32}, 0.0, 1);
        SyntheticCase c = g.generate(0);
        double[] min = {9, 9};
        double[] max = {-9, -9};
        int[] count = new int[3];
        for (int i = 0; i < c.labels().length; i++) {
            int l = c.labels()[i];
            count[l]++;
            if (l > 0) {
                min[l - 1] = Math.min(min[l - 1], c.image()[i]);
                max[l - 1] = Math.max(max[l - 1], c.image()[i]);
            } else {
                assertThat(c.image()[i]).isEqualTo(0f); // no noise requested
            }
        }
        assertThat(count[1]).isPositive();
        assertThat(count[2]).isPositive();
        for (int k = 0; k < 2; k++) {
            assertThat(min[k]).isGreaterThanOrEqualTo(1.5);
            assertThat(max[k]).isLessThanOrEqualTo(2.0);
        }
        // same seed, same case; another index, another case
        assertThat(g.generate(0).image()).containsExactly(c.image());
        assertThat(g.generate(1).labels()).isNotEqualTo(c.labels());
    }

    @Test
    void writesAnNnUNetRawDataset(@TempDir Path dir) throws Exception {
        SyntheticGenerator g = new SyntheticGenerator(SyntheticTask.B, new int[] {16, 20, 24}, 1.0, 2);
        SyntheticDatasetWriter.writeRaw(dir, SyntheticTask.B, SyntheticDatasetWriter.cases(g, 2));
        assertThat(Files.readString(dir.resolve("dataset.json"))).contains("\"ellipsoid\" : 2").contains("\"numTraining\" : 2")
                .contains("\".nii.gz\"");
        NiftiImage img = Nifti.read(dir.resolve("imagesTr/synth_001_0000.nii.gz"));
        assertThat(img.shape()).containsExactly(16, 20, 24);
        NiftiImage lab = Nifti.read(dir.resolve("labelsTr/synth_001.nii.gz"));
        assertThat(lab.data().toInts()).containsExactly(g.generate(1).labels().length == 0 ? new int[0]
                : toInts(g.generate(1).labels()));
    }

    private static int[] toInts(short[] s) {
        int[] out = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = s[i];
        }
        return out;
    }
}
