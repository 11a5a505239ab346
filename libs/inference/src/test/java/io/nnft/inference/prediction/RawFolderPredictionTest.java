package io.nnft.inference.prediction;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.nnft.imageio.NdArray;
import io.nnft.imageio.Nifti;
import io.nnft.imageio.NiftiImage;
import io.nnft.imageio.Npz;
import io.nnft.network.Networks;
import io.nnft.network.UsageTrackingParameterStore;
import io.nnft.preprocessing.Parallel;
import io.nnft.preprocessing.PreprocessedCase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class RawFolderPredictionTest {
    private static TrainedModel model;

    @BeforeAll
    static void open() throws IOException {
        model = TrainedModel.open(FixtureModel.modelFolder(), List.of("0"), "checkpoint_final.pth");
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void a32CubeWithoutMirroringIsTheArgmaxOfTheForward(@TempDir Path dir) throws IOException {
        Path in = Files.createDirectories(dir.resolve("in"));
        int[] shape = {32, 32, 32};
        Nifti.write(in.resolve("case_0000.nii.gz"), NiftiImage.of(NdArray.ofFloats(longs(shape), mri(shape, 11)),
                new double[] {1, 1, 1}));
        PredictionSettings s = PredictionSettings.defaults(model.mirrorAxes()).withMirroring(false);
        List<RawFolderPrediction.CaseReport> reports = RawFolderPrediction.run(model, s,
                new RawFolderPrediction.Options(in, dir.resolve("out"), false, 2), null);
        assertThat(reports).extracting(RawFolderPrediction.CaseReport::identifier).containsExactly("case");
        NiftiImage predicted = Nifti.read(dir.resolve("out/case.nii.gz"));
        int[] seg = predicted.data().toInts();

        // the same preprocessed input through the network once, argmax over the two heads
        RawFolderPrediction.InputCase c = RawFolderPrediction.listCases(in, ".nii.gz", 1).get(0);
        PreprocessedCase pre = CasePredictor.of(model, s, Parallel.SEQUENTIAL).preprocess(RawFolderPrediction.read(c, null));
        assertThat(pre.shape()).containsExactly(32, 32, 32);
        float[] logits;
        try (NDManager m = model.manager().newSubManager()) {
            logits = Networks.noGrad(() -> {
                NDArray x = m.create(pre.data()[0], new Shape(1, 1, 32, 32, 32));
                return model.networks().get(0).forward(new UsageTrackingParameterStore(model.manager()),
                        new NDList(x), false).singletonOrThrow().toFloatArray();
            });
        }
        int n = 32 * 32 * 32;
        int foreground = 0;
        for (int i = 0; i < n; i++) {
            int expected = logits[n + i] > logits[i] ? 1 : 0;
            assertThat(seg[i]).as("voxel %d", i).isEqualTo(expected);
            foreground += expected;
        }
        assertThat(foreground).as("both classes occur, so the comparison means something").isBetween(1, n - 1);
        assertThat(Files.exists(dir.resolve("out/plans.json"))).isTrue();
        assertThat(Files.exists(dir.resolve("out/dataset.json"))).isTrue();
    }

    @Test
    void anAnisotropicCtCaseKeepsItsGeometryWithMirroringAndProbabilities(@TempDir Path dir) throws IOException {
        // 20 x 64 x 56 at (3, 0.8, 0.8) mm, flipped x/y axes and an offset origin: resampled to 1 mm and back
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.copy(FixtureModel.resource("ct/ct_000_0000.nii.gz"), in.resolve("ct_000_0000.nii.gz"));
        PredictionSettings s = PredictionSettings.defaults(model.mirrorAxes());
        RawFolderPrediction.run(model, s, new RawFolderPrediction.Options(in, dir.resolve("out"), true, 2), null);
        NiftiImage input = Nifti.read(in.resolve("ct_000_0000.nii.gz"));
        NiftiImage output = Nifti.read(dir.resolve("out/ct_000.nii.gz"));
        assertSameGeometry(output, input);
        assertThat(input.spacing()[0] / input.spacing()[1]).isGreaterThan(3);

        Map<String, NdArray> npz = Npz.read(dir.resolve("out/ct_000.npz"));
        NdArray probs = npz.get("probabilities");
        assertThat(probs.shape()).containsExactly(2, 20, 64, 56);
        float[] p = probs.toFloats();
        int[] seg = output.data().toInts();
        int n = 20 * 64 * 56;
        for (int i = 0; i < n; i += 13) {
            assertThat((double) p[i] + p[n + i]).isCloseTo(1.0, within(1e-5));
            assertThat(seg[i]).isEqualTo(p[n + i] > p[i] ? 1 : 0);
        }
        // outside the nonzero bounding box nnU-Net's probabilities are background 1
        assertThat(p[0]).isEqualTo(1f);
        assertThat(seg[0]).isZero();
    }

    @Test
    void aCaseSmallerThanThePatchPredicts(@TempDir Path dir) throws IOException {
        Path in = Files.createDirectories(dir.resolve("in"));
        int[] shape = {20, 24, 18};
        Nifti.write(in.resolve("small_0000.nii.gz"), NiftiImage.of(NdArray.ofFloats(longs(shape), mri(shape, 5)),
                new double[] {1, 1, 1}));
        for (boolean mirroring : new boolean[] {false, true}) {
            Path out = dir.resolve("out" + mirroring);
            RawFolderPrediction.run(model, PredictionSettings.defaults(model.mirrorAxes()).withMirroring(mirroring),
                    new RawFolderPrediction.Options(in, out, false, 1), null);
            NiftiImage predicted = Nifti.read(out.resolve("small.nii.gz"));
            assertSameGeometry(predicted, Nifti.read(in.resolve("small_0000.nii.gz")));
            for (int v : predicted.data().toInts()) {
                assertThat(v).isIn(0, 1);
            }
        }
    }

    @Test
    void missingChannelFileIsNamed(@TempDir Path dir) throws IOException {
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.writeString(in.resolve("a_0001.nii.gz"), "x");
        assertThatThrownBy(() -> RawFolderPrediction.listCases(in, ".nii.gz", 1))
                .hasMessageContaining("takes 1 channel").hasMessageContaining("a_0001.nii.gz");
        assertThatThrownBy(() -> RawFolderPrediction.listCases(in, ".nii.gz", 2))
                .hasMessageContaining("a_0000.nii.gz");
    }

    static void assertSameGeometry(NiftiImage a, NiftiImage b) {
        assertThat(a.shape()).containsExactly(b.shape());
        assertThat(a.spacing()).containsExactly(b.spacing());
        assertThat(a.origin()).containsExactly(b.origin());
        assertThat(a.direction()).containsExactly(b.direction());
        assertThat(a.affine()).isDeepEqualTo(b.affine());
    }

    /** A bright blob on a noisy background, every voxel non-zero (nothing is cropped). */
    static float[] mri(int[] shape, long seed) {
        Random r = new Random(seed);
        float[] f = new float[shape[0] * shape[1] * shape[2]];
        int i = 0;
        for (int z = 0; z < shape[0]; z++) {
            for (int y = 0; y < shape[1]; y++) {
                for (int x = 0; x < shape[2]; x++) {
                    double dz = (z - shape[0] / 2.0) / 6;
                    double dy = (y - shape[1] / 2.0) / 6;
                    double dx = (x - shape[2] / 2.0) / 6;
                    double blob = Math.exp(-(dz * dz + dy * dy + dx * dx));
                    f[i++] = (float) (100 + 60 * blob + 10 * r.nextGaussian());
                }
            }
        }
        return f;
    }

    static long[] longs(int[] s) {
        long[] l = new long[s.length];
        for (int i = 0; i < s.length; i++) {
            l[i] = s[i];
        }
        return l;
    }
}
