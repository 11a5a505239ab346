package io.nnft.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.nnft.checkpoint.NnUNetCheckpoint;
import io.nnft.imageio.NdArray;
import io.nnft.imageio.Npy;
import io.nnft.network.CheckpointNetworks;
import io.nnft.network.Networks;
import io.nnft.network.PlainConvUNet;
import io.nnft.network.UsageTrackingParameterStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * {@code nnft forward}: the checkpoint's network in eval mode (no deep supervision) on an input array;
 * writes raw logits and optionally the encoder's skips ({@code skip_<i>.npy}, bottleneck last).
 */
@Command(name = "forward", mixinStandardHelpOptions = true,
        description = "Run an nnU-Net checkpoint's network on x.npy (N, C, spatial...) and write the raw logits.")
public final class ForwardCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, description = "nnU-Net checkpoint (.pth)")
    Path checkpoint;

    @Option(names = "--input", required = true, description = "float32 .npy, (N, C, spatial...)")
    Path input;

    @Option(names = "--output", required = true, description = "logits .npy to write")
    Path output;

    @Option(names = "--skips-dir", description = "also write the encoder outputs skip_<i>.npy here")
    Path skipsDir;

    @Override
    public Integer call() throws IOException {
        NnUNetCheckpoint ckpt = CheckpointArgs.read(checkpoint);
        if (!Files.isRegularFile(input)) {
            throw new BadInputException("--input: expected a .npy file, found no file at " + input);
        }
        NdArray x;
        try {
            x = Npy.read(input);
        } catch (IOException | RuntimeException e) {
            throw new BadInputException(input + ": not a readable .npy: " + e.getMessage(), e);
        }
        try (NDManager manager = Networks.engine().newBaseManager(); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            PlainConvUNet net;
            try {
                net = CheckpointNetworks.network(ckpt, manager, false, checkpoint.toString());
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new BadInputException(e.getMessage(), e);
            }
            int dims = net.config().spatialDims();
            long[] shape = x.shape();
            if (shape.length != dims + 2 || shape[1] != net.config().inputChannels() || !x.dtype().isFloatingPoint()) {
                throw new BadInputException(input + ": expected a floating-point array (N, " + net.config().inputChannels()
                        + ", " + dims + " spatial axes), found " + x.dtype() + " " + Arrays.toString(shape));
            }
            NDArray in = Networks.toNDArray(manager, x);
            UsageTrackingParameterStore ps = new UsageTrackingParameterStore(manager);
            NDArray logits;
            try {
                logits = Networks.noGrad(() -> net.forward(ps, new NDList(in), false).singletonOrThrow());
            } catch (ai.djl.engine.EngineException e) {
                throw new BadInputException(input + ": the network cannot process shape " + Arrays.toString(shape)
                        + " (spatial sizes must be divisible by the product of the strides): " + e.getMessage(), e);
            }
            Npy.write(output, Networks.toNdArray(logits));
            if (skipsDir != null) {
                Files.createDirectories(skipsDir);
                NDList skips = Networks.noGrad(() -> net.encoder().forward(ps, new NDList(in), false));
                for (int i = 0; i < skips.size(); i++) {
                    Npy.write(skipsDir.resolve("skip_" + i + ".npy"), Networks.toNdArray(skips.get(i)));
                }
            }
            System.out.println("logits " + logits.getShape() + " -> " + output
                    + (skipsDir != null ? "; skips -> " + skipsDir : ""));
        }
        return 0;
    }
}
