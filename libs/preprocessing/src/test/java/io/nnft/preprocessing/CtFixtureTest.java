package io.nnft.preprocessing;

import io.nnft.imageio.NdArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.util.concurrent.ForkJoinPool;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Case ct_000 through our DefaultPreprocessor against nnU-Net v2.8.1's run_case for 3d_fullres
 * (separate-z: 17 -> 20 slices nearest along z, cubic in plane) and 2d (in plane only).
 * Class locations are compared as ordered lists: our RandomState reproduces nnU-Net's draw exactly.
 */
class CtFixtureTest {
    private static final ForkJoinPool POOL = new ForkJoinPool(2);

    @AfterAll
    static void close() {
        POOL.shutdown();
    }

    @ParameterizedTest
    @ValueSource(strings = {"3d_fullres", "2d"})
    void trainingCaseMatchesNnUnet(String configuration) throws Exception {
        PreprocessedCase out = new DefaultPreprocessor(CtFixture.plan(configuration), Parallel.on(POOL))
                .run(CtFixture.ct000(true));

        NdArray refData = TestArrays.npy("ct/" + configuration + "/data.npy");
        assertThat(out.data().length).isEqualTo(1);
        assertThat(new int[]{1, out.shape()[0], out.shape()[1], out.shape()[2]}).containsExactly(refData.intShape());
        float[] ref = refData.toFloats();
        float[] ours = out.data()[0];
        int within = 0;
        double worst = 0;
        for (int i = 0; i < ref.length; i++) {
            double d = Math.abs(ref[i] - ours[i]);
            worst = Math.max(worst, d);
            if (d <= 1e-3) {
                within++;
            }
        }
        System.out.printf("%s: %d voxels, %.5f within 1e-3, largest difference %.3g%n", configuration, ref.length,
                (double) within / ref.length, worst);
        assertThat((double) within / ref.length).as("share of voxels within 1e-3").isGreaterThanOrEqualTo(0.999);
        assertThat(worst).as("largest difference").isLessThanOrEqualTo(1e-2);

        assertSegMatches(out.seg(), "ct/" + configuration + "/seg.npy");
        assertThat(out.segFitsInt8()).isTrue();

        CaseProperties expected = CaseProperties.fromJson(
                Files.readString(CtFixture.dir().resolve(configuration + "/properties.json")), configuration);
        assertPropertiesEqual(out.properties(), expected);
        assertThat(out.properties().classLocations().keySet()).containsExactly("1", "2");
        for (String k : expected.classLocations().keySet()) {
            assertThat(out.properties().classLocations().get(k)).as("class " + k + " locations, in order")
                    .isDeepEqualTo(expected.classLocations().get(k));
        }
        // and our JSON reads back to the same properties
        CaseProperties again = CaseProperties.fromJson(out.properties().toJson(), "ours");
        assertPropertiesEqual(again, expected);
        assertThat(again.readerProperties()).isEqualTo(expected.readerProperties());
    }

    @ParameterizedTest
    @ValueSource(strings = {"3d_fullres", "2d"})
    void inferenceCaseGetsSegFromMaskOnly(String configuration) {
        PreprocessedCase out = new DefaultPreprocessor(CtFixture.plan(configuration), Parallel.SEQUENTIAL)
                .run(CtFixture.ct000(false));
        assertSegMatches(out.seg(), "ct/" + configuration + "/seg_noseg.npy");
        assertThat(out.properties().classLocations()).isNull();
        assertThat(out.properties().toJson()).doesNotContain("class_locations");
    }

    private static void assertSegMatches(short[] seg, String reference) {
        int[] ref = TestArrays.npy(reference).toInts();
        assertThat(seg).hasSize(ref.length);
        int equal = 0;
        for (int i = 0; i < ref.length; i++) {
            if (seg[i] == ref[i]) {
                equal++;
            }
        }
        System.out.printf("%s: %d of %d labels equal%n", reference, equal, ref.length);
        assertThat((double) equal / ref.length).as("share of equal labels vs " + reference).isGreaterThanOrEqualTo(0.999);
    }

    private static void assertPropertiesEqual(CaseProperties ours, CaseProperties expected) {
        assertThat(ours.spacing()).containsExactly(expected.spacing());
        assertThat(ours.shapeBeforeCropping()).containsExactly(expected.shapeBeforeCropping());
        assertThat(ours.bboxUsedForCropping()).isEqualTo(expected.bboxUsedForCropping());
        assertThat(ours.shapeAfterCroppingAndBeforeResampling())
                .containsExactly(expected.shapeAfterCroppingAndBeforeResampling());
    }
}
