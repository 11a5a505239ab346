package io.nnft.classification;

import io.nnft.dataset.ClassLabels;
import io.nnft.imageio.NdArray;
import io.nnft.training.augment.AugmentationPipeline;
import io.nnft.training.data.Batch;
import io.nnft.training.data.BatchGenerator;
import io.nnft.training.data.PatchSizes;
import io.nnft.training.data.PreprocessedCase;
import io.nnft.training.data.PreprocessedDataset;
import io.nnft.training.data.Sample;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Training batch number {@code index}: {@code batchSize} cases drawn uniformly (with replacement), each cut by
 * {@link CaseWindow} and augmented with the segmentation pipeline's spatial and intensity transforms (there is
 * no label map to transform). The randomness is a pure function of (seed, index) like the segmentation
 * loader's, so batches can be built on background threads ({@link io.nnft.training.data.BatchStream}) and a
 * resumed run gets the batches it would have seen. The batch's {@code targets[0]} holds the class indices.
 */
public final class ClassificationBatches {
    private final PreprocessedDataset dataset;
    private final List<String> cases;
    private final int[] classOf;
    private final int batchSize;
    private final int[] patch;
    private final int[] window;
    private final AugmentationPipeline augmentation;
    private final boolean randomCrop;
    private final long seed;

    public ClassificationBatches(PreprocessedDataset dataset, List<String> cases, ClassLabels labels, int batchSize,
                                 int[] patch, boolean augment, boolean randomCrop, long seed) {
        if (cases.isEmpty()) {
            throw new IllegalArgumentException("classification batches: expected at least one training case, found none");
        }
        this.dataset = dataset;
        this.cases = List.copyOf(cases);
        this.classOf = cases.stream().mapToInt(labels::indexOf).toArray();
        this.batchSize = batchSize;
        this.patch = patch.clone();
        this.window = augment ? PatchSizes.initialPatchSize(patch) : patch.clone();
        this.augmentation = augment ? AugmentationPipeline.nnUNetTraining(patch, null) : null;
        this.randomCrop = randomCrop;
        this.seed = seed;
    }

    public Batch generate(long index) {
        SplittableRandom r = BatchGenerator.randomFor(seed, index);
        float[] data = null;
        short[] labels = new short[batchSize];
        int channels = 0;
        int pv = patch[0] * patch[1] * patch[2];
        for (int b = 0; b < batchSize; b++) {
            int pick = r.nextInt(cases.size());
            PreprocessedCase c = dataset.get(cases.get(pick));
            Sample s = CaseWindow.cut(c, patch, window, randomCrop ? r : null);
            if (augmentation != null) {
                augmentation.apply(s, r);
            }
            if (data == null) {
                channels = s.channels;
                data = new float[batchSize * channels * pv];
            }
            System.arraycopy(s.image, 0, data, b * channels * pv, channels * pv);
            labels[b] = (short) classOf[pick];
        }
        return new Batch(index, NdArray.ofFloats(new long[] {batchSize, channels, patch[0], patch[1], patch[2]}, data),
                new NdArray[] {NdArray.ofShorts(new long[] {batchSize}, labels)});
    }

    /** Centred windows of the given cases as one batch (validation, prediction). */
    public static NdArray centred(List<PreprocessedCase> cases, int[] patch) {
        int pv = patch[0] * patch[1] * patch[2];
        int channels = cases.get(0).channels();
        float[] data = new float[cases.size() * channels * pv];
        for (int b = 0; b < cases.size(); b++) {
            Sample s = CaseWindow.cut(cases.get(b), patch, patch, null);
            System.arraycopy(s.image, 0, data, b * channels * pv, channels * pv);
        }
        return NdArray.ofFloats(new long[] {cases.size(), channels, patch[0], patch[1], patch[2]}, data);
    }
}
