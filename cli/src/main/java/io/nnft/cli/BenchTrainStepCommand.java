package io.nnft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nnft.network.PlainConvUNetConfig;
import io.nnft.network.TrainStepBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * {@code nnft bench train-step}: median ms per nnU-Net training iteration (forward + DC/CE deep-supervision
 * loss + backward + grad-norm clip + SGD) of a plan's network on random data of its batch and patch size.
 */
@Command(name = "train-step", mixinStandardHelpOptions = true,
        description = "Median ms/iteration of the training step of a plans configuration's PlainConvUNet.")
public final class BenchTrainStepCommand implements Callable<Integer> {
    @Option(names = "--plans", required = true, description = "nnUNetPlans.json")
    Path plans;

    @Option(names = "--configuration", required = true, description = "e.g. 3d_fullres")
    String configuration;

    @Option(names = "--freeze", defaultValue = "none",
            description = "none | encoder | all-but-seg-head | prefixes:P1,P2 (default: ${DEFAULT-VALUE})")
    String freeze;

    @Option(names = "--keep-norm-trainable", description = "leave InstanceNorm parameters trainable when freezing")
    boolean keepNormTrainable;

    @Option(names = "--num-heads", description = "segmentation heads; default: labels of dataset.json beside the plans")
    Integer numHeads;

    @Option(names = "--batch-size", description = "default: the configuration's batch_size")
    Integer batchSize;

    @Option(names = "--warmup", defaultValue = "3", description = "untimed iterations (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--iterations", defaultValue = "10", description = "timed iterations (default: ${DEFAULT-VALUE})")
    int iterations;

    @Option(names = "--threads", description = "intra-op threads of libtorch (default: libtorch's choice)")
    Integer threads;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(plans)) {
            throw new BadInputException("--plans: expected an nnUNetPlans.json file, found no file at " + plans);
        }
        if (threads != null) {
            // Read by DJL's PyTorch engine when it starts, which happens below.
            System.setProperty("ai.djl.pytorch.num_threads", threads.toString());
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        JsonNode conf;
        PlainConvUNetConfig config;
        try {
            int heads = numHeads != null ? numHeads : headsFromDatasetJson();
            config = PlainConvUNetConfig.fromPlans(plans, configuration, heads, true);
            conf = new ObjectMapper().readTree(plans.toFile()).path("configurations").path(configuration);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        int batch = batchSize != null ? batchSize : conf.path("batch_size").asInt(-1);
        JsonNode patchNode = conf.path("patch_size");
        if (batch < 1 || !patchNode.isArray()) {
            throw new BadInputException(plans + " configurations." + configuration
                    + ": expected batch_size and patch_size (or --batch-size), found " + conf.get("batch_size")
                    + " and " + conf.get("patch_size"));
        }
        int[] patch = new int[patchNode.size()];
        for (int i = 0; i < patch.length; i++) {
            patch[i] = patchNode.get(i).asInt();
        }
        TrainStepBenchmark.Result r;
        try {
            r = TrainStepBenchmark.run(config, batch, patch, freeze, keepNormTrainable, warmup, iterations, 1234);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        System.out.printf("train-step %s %s: batch %d, patch %s, features %s, freeze %s (%d tensors), "
                        + "%d parameters (%d trainable)%n", plans.getFileName(), configuration, batch,
                Arrays.toString(patch), Arrays.toString(config.featuresPerStage()), freeze, r.frozenTensors(),
                r.parameters(), r.trainableParameters());
        System.out.printf("iterations ms: %s%n", Arrays.toString(Arrays.stream(r.iterationMs())
                .map(v -> Math.round(v * 10) / 10.0).toArray()));
        System.out.printf("median %.1f ms/iteration (%d timed after %d warm-up); median process CPU %.1f ms/iteration%n",
                r.medianMs(), iterations, warmup, r.medianCpuMs());
        return 0;
    }

    private int headsFromDatasetJson() throws IOException {
        return DatasetJsonBeside.segmentationHeads(plans).orElseThrow(() ->
                new BadInputException("no dataset.json beside " + plans + " to count labels: pass --num-heads"));
    }
}
