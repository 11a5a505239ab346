package io.nnft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nnft.planning.ExperimentPlanner;
import io.nnft.planning.Fingerprint;
import io.nnft.planning.FingerprintExtractor;
import io.nnft.planning.PlannerInputs;
import io.nnft.planning.Plans;
import io.nnft.planning.RawFolderCases;
import io.nnft.preprocessing.io.NiftiCaseReader;
import io.nnft.preprocessing.io.PreprocessingRun;
import io.nnft.training.Trainer;
import io.nnft.training.TrainingInputs;
import io.nnft.training.EpochRecord;
import io.nnft.training.TrainingResult;
import io.nnft.training.TrainingSettings;
import io.nnft.training.synth.SyntheticDatasetWriter;
import io.nnft.training.synth.SyntheticGenerator;
import io.nnft.training.synth.SyntheticTask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nnft demo-pretrain}: regenerates what {@code ./nnft local} ships in {@code demo/}: a slim model
 * pretrained by nnft on synthetic task A (spheres and rods) through the real planner, preprocessor and
 * trainer, and the downstream raw dataset of the related task B (spheres and ellipsoids) it is fine-tuned on.
 */
@Command(name = "demo-pretrain", mixinStandardHelpOptions = true,
        description = "Regenerate demo/: a slim model pretrained on synthetic task A and the task-B demo dataset.")
public final class DemoPretrainCommand implements Callable<Integer> {
    static final String PRETRAINED_DATASET = "Dataset101_SynthA";
    static final String DEMO_DATASET = "Dataset102_SynthB";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Option(names = "--output", defaultValue = "demo", description = "folder to (re)write (default: ${DEFAULT-VALUE})")
    Path output;

    @Option(names = "--cases", defaultValue = "16", description = "task-A cases to pretrain on (default: ${DEFAULT-VALUE})")
    int cases;

    @Option(names = "--demo-cases", defaultValue = "10", description = "task-B cases in the demo dataset (default: ${DEFAULT-VALUE})")
    int demoCases;

    @Option(names = "--size", defaultValue = "32", description = "volume edge in voxels (default: ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--epochs", defaultValue = "40", description = "pretraining epochs (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--iterations", defaultValue = "25", description = "iterations per epoch (default: ${DEFAULT-VALUE})")
    int iterations;

    @Option(names = "--width-divisor", defaultValue = "4",
            description = "divide the planned features per stage by this to keep the model small (default: ${DEFAULT-VALUE})")
    int widthDivisor;

    @Option(names = "--seed", defaultValue = "1", description = "default: ${DEFAULT-VALUE}")
    long seed;

    @Override
    public Integer call() throws IOException {
        if (cases < 5 || demoCases < 5) {
            throw new BadInputException("--cases and --demo-cases: expected >= 5 (nnU-Net's 5-fold split), found "
                    + cases + " and " + demoCases);
        }
        Path work = Files.createTempDirectory("nnft-demo-pretrain");
        Path rawA = work.resolve(PRETRAINED_DATASET);
        int[] shape = {size, size, size};
        SyntheticDatasetWriter.writeRaw(rawA, SyntheticTask.A,
                SyntheticDatasetWriter.cases(new SyntheticGenerator(SyntheticTask.A, shape, 1.0, seed), cases));
        System.out.println("wrote " + cases + " task-A cases");

        Fingerprint fingerprint = new FingerprintExtractor(2).extract(RawFolderCases.open(rawA));
        ObjectNode datasetJson = (ObjectNode) MAPPER.readTree(rawA.resolve("dataset.json").toFile());
        Plans plans = new ExperimentPlanner(PlannerInputs.of(datasetJson, rawA + "/dataset.json", fingerprint,
                PRETRAINED_DATASET)).plan();
        ObjectNode tree = plans.json();
        slim(tree, widthDivisor);
        Path plansFile = work.resolve("nnUNetPlans.json");
        plans = Plans.of(tree, plansFile.toString());
        plans.write(plansFile);
        System.out.println("planned " + PRETRAINED_DATASET + " (features divided by " + widthDivisor + ")");

        Path preprocessed = work.resolve("preprocessed");
        PreprocessingRun.run(new PreprocessingRun.Options(rawA, plansFile, "3d_fullres", preprocessed, List.of(),
                2, 2, false), new NiftiCaseReader(plans.imageReaderWriter()), null);
        System.out.println("preprocessed " + cases + " cases");

        Path model = work.resolve("model");
        TrainingSettings settings = new TrainingSettings().epochs(epochs).iterationsPerEpoch(iterations)
                .validationIterations(5).seed(seed);
        TrainingResult<EpochRecord> result = Trainer.train(TrainingInputs.of(preprocessed, plansFile, "3d_fullres", "all", model),
                settings, new TrainingConsole(System.console() != null));
        System.out.printf("pretrained %d epochs, best EMA pseudo-Dice %.3f%n", result.epochsRun(), result.bestEma());

        Path pretrainedOut = output.resolve("pretrained").resolve(PRETRAINED_DATASET);
        Files.createDirectories(pretrainedOut.resolve("fold_all"));
        for (String f : List.of("plans.json", "dataset.json")) {
            Files.copy(model.resolve(f), pretrainedOut.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        for (String f : List.of("checkpoint_final.pth", "training_log.json", "progress.png")) {
            Path src = model.resolve("fold_all").resolve(f);
            if (Files.exists(src)) {
                Files.copy(src, pretrainedOut.resolve("fold_all").resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path demo = output.resolve(DEMO_DATASET);
        SyntheticDatasetWriter.writeRaw(demo, SyntheticTask.B,
                SyntheticDatasetWriter.cases(new SyntheticGenerator(SyntheticTask.B, shape, 1.0, seed + 1000), demoCases));
        System.out.println("wrote the pretrained model to " + pretrainedOut + " and " + demoCases
                + " task-B cases to " + demo);
        return 0;
    }

    /** Divides every stage's width (at least 2 features) so the demo model trains in minutes on a CPU. */
    static void slim(ObjectNode plans, int divisor) {
        JsonNode configurations = plans.path("configurations");
        configurations.fields().forEachRemaining(e -> {
            JsonNode kwargs = e.getValue().path("architecture").path("arch_kwargs");
            if (kwargs.path("features_per_stage") instanceof ArrayNode features) {
                for (int i = 0; i < features.size(); i++) {
                    features.set(i, MAPPER.getNodeFactory().numberNode(Math.max(2, features.get(i).asInt() / divisor)));
                }
            }
        });
    }
}
