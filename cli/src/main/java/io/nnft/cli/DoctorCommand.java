package io.nnft.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nnft.network.PlainConvUNetConfig;
import io.nnft.network.SelfCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code nnft doctor}: is this machine's engine right? Run it on a new node, a new GPU, a new driver or image.
 * Last line {@code doctor: OK} (exit 0) or {@code doctor: FAILED <what, how far off>} (exit 1).
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Self-check of the engine on this machine: versions, nnU-Net's training steps replayed, every conv "
                + "of a plan and the other ops gradient-checked against float64.")
public final class DoctorCommand implements Callable<Integer> {
    @Option(names = "--plans", description = "nnUNetPlans.json whose network to check (default: the bundled demo's)")
    Path plans;

    @Option(names = "--configuration", defaultValue = "3d_fullres", description = "default: ${DEFAULT-VALUE}")
    String configuration;

    @Option(names = "--num-heads", description = "segmentation heads; default: labels of dataset.json beside the plans, else 2")
    Integer numHeads;

    @Option(names = "--batch-size", description = "default: the configuration's batch_size")
    Integer batchSize;

    @Override
    public Integer call() throws Exception {
        Path plansFile = plans != null ? plans : Path.of(System.getProperty("nnft.home", "."))
                .resolve("demo/pretrained/Dataset101_SynthA/plans.json");
        if (!Files.isRegularFile(plansFile)) {
            throw new BadInputException("--plans: expected an nnUNetPlans.json file, found no file at " + plansFile);
        }
        PlainConvUNetConfig config;
        int batch;
        try {
            config = PlainConvUNetConfig.fromPlans(plansFile, configuration, heads(plansFile), true);
            batch = batchSize != null ? batchSize : new ObjectMapper().readTree(plansFile.toFile()).path("configurations")
                    .path(configuration).path("batch_size").asInt(2);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        System.out.println("plans " + plansFile + " configuration " + configuration + ", batch " + batch);
        Path scratch = Files.createTempDirectory("nnft-doctor");
        try {
            SelfCheck.Result r = SelfCheck.run(config, batch, scratch, System.out::println);
            System.out.printf("self-check took %.1f s%n", r.seconds());
            System.out.println(r.verdict());
            return r.ok() ? 0 : 1;
        } finally {
            try (var files = Files.list(scratch)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(scratch);
        }
    }

    private int heads(Path plansFile) throws java.io.IOException {
        return numHeads != null ? numHeads : DatasetJsonBeside.segmentationHeads(plansFile).orElse(2);
    }
}
