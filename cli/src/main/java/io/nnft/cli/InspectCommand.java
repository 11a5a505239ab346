package io.nnft.cli;

import ai.djl.ndarray.NDManager;
import io.nnft.checkpoint.NnUNetCheckpoint;
import io.nnft.network.CheckpointNetworks;
import io.nnft.network.Freezing;
import io.nnft.network.Networks;
import io.nnft.network.ParameterReport;
import io.nnft.network.PlainConvUNet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code nnft inspect}: the checkpoint's configuration and plans, and every parameter with shape and trainability. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Print an nnU-Net checkpoint's configuration and its trainable-parameter report.")
public final class InspectCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, description = "nnU-Net checkpoint (.pth)")
    Path checkpoint;

    @Option(names = "--freeze", defaultValue = "none",
            description = "none | encoder | all-but-seg-head | prefixes:P1,P2 (default: ${DEFAULT-VALUE})")
    String freeze;

    @Option(names = "--keep-norm-trainable", description = "leave InstanceNorm parameters trainable when freezing")
    boolean keepNormTrainable;

    @Override
    public Integer call() {
        NnUNetCheckpoint ckpt = CheckpointArgs.read(checkpoint);
        try (NDManager manager = Networks.engine().newBaseManager()) {
            PlainConvUNet net;
            try {
                net = CheckpointNetworks.network(ckpt, manager, false, checkpoint.toString());
                Freezing.applySpec(net, freeze, keepNormTrainable);
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new BadInputException(e.getMessage(), e);
            }
            System.out.println("configuration: " + ckpt.configuration());
            System.out.println("plans: " + ckpt.plansJson().path("plans_name").asText("?")
                    + " (dataset " + ckpt.plansJson().path("dataset_name").asText("?") + ")");
            System.out.println("trainer: " + ckpt.trainerName() + ", epoch " + ckpt.currentEpoch() + ", fold " + ckpt.fold());
            System.out.print(ParameterReport.format(ParameterReport.of(net)));
        }
        return 0;
    }
}
