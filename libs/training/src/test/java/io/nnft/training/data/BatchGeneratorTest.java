package io.nnft.training.data;

import io.nnft.imageio.NdArray;
import io.nnft.network.DeepSupervision;
import io.nnft.training.augment.AugmentationPipeline;
import io.nnft.training.synth.SyntheticDatasetWriter;
import io.nnft.training.synth.SyntheticGenerator;
import io.nnft.training.synth.SyntheticTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class BatchGeneratorTest {
    @Test
    void batchesAreAFunctionOfTheirIndexWhateverTheThreads(@TempDir Path dir) throws Exception {
        SyntheticGenerator g = new SyntheticGenerator(SyntheticTask.A, new int[] {24, 24, 24}, 1.0, 4);
        SyntheticDatasetWriter.writePreprocessed(dir, SyntheticTask.A, SyntheticDatasetWriter.cases(g, 3),
                new int[] {16, 16, 16}, new int[] {4, 8, 16}, 2);
        PreprocessedDataset ds = PreprocessedDataset.open(dir);
        assertThat(ds.ids()).containsExactly("synth_000", "synth_001", "synth_002");
        int[] patch = {16, 16, 16};
        double[][] scales = DeepSupervision.scales(new int[][] {{1, 1, 1}, {2, 2, 2}, {2, 2, 2}});
        BatchGenerator gen = new BatchGenerator(ds, ds.ids(), 3, new PatchSampler(PatchSizes.initialPatchSize(patch), patch,
                0.33), AugmentationPipeline.nnUNetTraining(patch, new boolean[] {false}), scales, 99);
        Batch b = gen.generate(5);
        assertThat(b.data().shape()).containsExactly(3, 1, 16, 16, 16);
        assertThat(b.targets()).hasSize(2);
        assertThat(b.targets()[0].shape()).containsExactly(3, 1, 16, 16, 16);
        assertThat(b.targets()[1].shape()).containsExactly(3, 1, 8, 8, 8);
        // the oversampled slot (index 2 of 3: round(3 · 0.67) = 2) holds foreground in every batch
        for (long i = 0; i < 20; i++) {
            int[] t = gen.generate(i).targets()[0].toInts();
            boolean fg = false;
            for (int v = 2 * 4096; v < 3 * 4096; v++) {
                fg |= t[v] > 0;
                assertThat(t[v]).isBetween(0, 2);
            }
            assertThat(fg).as("batch " + i).isTrue();
        }
        try (BatchStream s1 = new BatchStream(gen::generate, 5, 1, 2);
             BatchStream s3 = new BatchStream(gen::generate, 5, 3, 6)) {
            for (int i = 0; i < 4; i++) {
                Batch a = s1.next();
                Batch c = s3.next();
                assertThat(a.index()).isEqualTo(5 + i).isEqualTo(c.index());
                assertThat(a.data().data()).isEqualTo(c.data().data());
                assertThat(a.targets()[1].data()).isEqualTo(c.targets()[1].data());
            }
        }
        assertThat(b.data().data()).isEqualTo(gen.generate(5).data().data());
        PipelineBenchmark.Result r = PipelineBenchmark.run(gen, 4, 2, 1);
        assertThat(r.samplesPerSecond()).isPositive();
        NdArray other = gen.generate(6).data();
        assertThat(other.data()).isNotEqualTo(b.data().data());
    }
}
