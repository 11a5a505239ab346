package io.nnft.cli;

import io.nnft.network.DeepSupervision;
import io.nnft.network.PlainConvUNetConfig;
import io.nnft.planning.ConfigurationPlan;
import io.nnft.planning.Plans;
import io.nnft.training.augment.AugmentationPipeline;
import io.nnft.training.data.BatchGenerator;
import io.nnft.training.data.PatchSampler;
import io.nnft.training.data.PatchSizes;
import io.nnft.training.data.PipelineBenchmark;
import io.nnft.training.data.PreprocessedDataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code nnft bench pipeline}: samples/s of the data pipeline alone (sampling + augmentation + DS targets). */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = "Samples/s of the training data pipeline (no network) on a preprocessed folder.")
public final class BenchPipelineCommand implements Callable<Integer> {
    @Option(names = "--preprocessed", required = true)
    Path preprocessed;

    @Option(names = "--plans", required = true)
    Path plans;

    @Option(names = "--configuration", required = true)
    String configuration;

    @Option(names = "--threads", defaultValue = "2", description = "background threads (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--batches", defaultValue = "20", description = "timed batches (default: ${DEFAULT-VALUE})")
    int batches;

    @Option(names = "--no-augment", description = "sampling only (validation pipeline)")
    boolean noAugment;

    @Override
    public Integer call() throws IOException {
        ConfigurationPlan conf;
        PreprocessedDataset ds;
        int[][] strides;
        try {
            conf = Plans.read(plans).configuration(configuration);
            ds = PreprocessedDataset.open(preprocessed);
            strides = PlainConvUNetConfig.fromPlans(plans, configuration, 2, true).strides();
        } catch (IllegalArgumentException | io.nnft.planning.PlansException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        int[] patch = conf.patchSize();
        int[] loader = noAugment ? patch : PatchSizes.initialPatchSize(patch);
        BatchGenerator g = new BatchGenerator(ds, ds.ids(), conf.batchSize(), new PatchSampler(loader, patch, 0.33),
                noAugment ? AugmentationPipeline.validation() : AugmentationPipeline.nnUNetTraining(patch, conf.useMaskForNorm()),
                DeepSupervision.scales(strides), 1);
        PipelineBenchmark.Result r = PipelineBenchmark.run(g, batches, threads, Math.min(3, batches));
        System.out.printf(Locale.ROOT, "pipeline: %d batches of %d, patch %s (loader %s), %d threads: %.1f samples/s "
                        + "(%.1f ms per batch)%n", r.batches(), r.batchSize(), java.util.Arrays.toString(patch),
                java.util.Arrays.toString(loader), r.threads(), r.samplesPerSecond(), 1000 * r.seconds() / r.batches());
        return 0;
    }
}
