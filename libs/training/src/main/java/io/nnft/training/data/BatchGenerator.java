package io.nnft.training.data;

import io.nnft.imageio.NdArray;
import io.nnft.network.DeepSupervision;
import io.nnft.training.augment.AugmentationPipeline;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Builds batch number {@code index} of a stream: sampling (nnUNetDataLoader), augmentation, −1 → 0 and the
 * deep-supervision targets. Each batch's randomness is a pure function of (seed, stream, index), so batches
 * can be built on any thread in any order, and a resumed run gets exactly the batches it would have seen.
 */
public final class BatchGenerator {
    private final PreprocessedDataset dataset;
    private final List<String> cases;
    private final int batchSize;
    private final PatchSampler sampler;
    private final AugmentationPipeline augmentation;
    private final double[][] dsScales;
    private final long seed;

    public BatchGenerator(PreprocessedDataset dataset, List<String> cases, int batchSize, PatchSampler sampler,
                          AugmentationPipeline augmentation, double[][] dsScales, long seed) {
        if (cases.isEmpty()) {
            throw new IllegalArgumentException("batch generator: expected at least one case, found none");
        }
        this.dataset = dataset;
        this.cases = List.copyOf(cases);
        this.batchSize = batchSize;
        this.sampler = sampler;
        this.augmentation = augmentation;
        this.dsScales = dsScales;
        this.seed = seed;
    }

    public int batchSize() {
        return batchSize;
    }

    /** A random stream per (seed, index): SplittableRandom's mixing makes neighbouring seeds independent. */
    public static SplittableRandom randomFor(long seed, long index) {
        return new SplittableRandom(new SplittableRandom(seed).split().nextLong() ^ (index * 0x9E3779B97F4A7C15L));
    }

    public Batch generate(long index) {
        SplittableRandom r = randomFor(seed, index);
        int[] shape = null;
        int channels = 0;
        float[] data = null;
        short[] seg = null;
        for (int b = 0; b < batchSize; b++) {
            PreprocessedCase c = dataset.get(cases.get(r.nextInt(cases.size())));
            boolean fg = sampler.forceForeground(b, batchSize);
            int[] lower = sampler.lowerCorner(c.shape(), fg, c.classLocations(), r);
            Sample s = sampler.crop(c, lower);
            augmentation.apply(s, r);
            if (data == null) {
                shape = s.shape.clone();
                channels = s.channels;
                data = new float[batchSize * channels * s.voxels()];
                seg = new short[batchSize * s.voxels()];
            }
            System.arraycopy(s.image, 0, data, b * channels * s.voxels(), s.image.length);
            System.arraycopy(s.seg, 0, seg, b * s.voxels(), s.seg.length);
        }
        NdArray x = NdArray.ofFloats(new long[] {batchSize, channels, shape[0], shape[1], shape[2]}, data);
        NdArray y = NdArray.ofShorts(new long[] {batchSize, 1, shape[0], shape[1], shape[2]}, seg);
        return new Batch(index, x, DeepSupervision.targets(y, dsScales));
    }
}
