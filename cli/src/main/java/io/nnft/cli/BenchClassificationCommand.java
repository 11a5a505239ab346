package io.nnft.cli;

import io.nnft.classification.ClassificationInputs;
import io.nnft.classification.ClassificationSettings;
import io.nnft.classification.ClassificationEpochRecord;
import io.nnft.classification.ClassificationTask;
import io.nnft.training.TrainingResult;
import io.nnft.classification.HeadSettings;
import io.nnft.classification.SyntheticClassificationSet;
import io.nnft.training.FreezeSettings;
import io.nnft.training.UnfreezeStep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code nnft bench classification}: the same small labelled synthetic set (rods vs spheres, task A's shapes)
 * and the same budget, once with the demo's pretrained task-A encoder (frozen for the first half, then
 * unfrozen at a tenth of the LR) and once from scratch (everything trains); prints the balanced accuracy of each
 * on the held-out cases.
 */
@Command(name = "classification", mixinStandardHelpOptions = true,
        description = "Classifier on a pretrained encoder vs from scratch: balanced accuracy on held-out cases.")
public final class BenchClassificationCommand implements Callable<Integer> {
    @Option(names = "--pretrained", defaultValue = "demo/pretrained/Dataset101_SynthA",
            description = "nnU-Net model folder whose encoder is used (default: ${DEFAULT-VALUE})")
    Path pretrained;

    @Option(names = "--train-cases", defaultValue = "8", description = "labelled training cases (default: ${DEFAULT-VALUE})")
    int trainCases;

    @Option(names = "--val-cases", defaultValue = "24", description = "held-out cases (default: ${DEFAULT-VALUE})")
    int valCases;

    @Option(names = "--epochs", defaultValue = "10", description = "default: ${DEFAULT-VALUE}")
    int epochs;

    @Option(names = "--iterations", defaultValue = "20", description = "iterations per epoch (default: ${DEFAULT-VALUE})")
    int iterations;

    @Option(names = "--lr", defaultValue = "3e-3", description = "AdamW LR, head × 10 (default: ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--seed", defaultValue = "7", description = "data and training seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() throws IOException {
        Path plans = pretrained.resolve("plans.json");
        if (!Files.isRegularFile(plans)) {
            throw new BadInputException("--pretrained: expected an nnU-Net model folder with plans.json, found none at "
                    + pretrained);
        }
        if (trainCases < 2 || valCases < 2) {
            throw new BadInputException("--train-cases and --val-cases: expected >= 2, found " + trainCases + " and "
                    + valCases);
        }
        Path work = Files.createTempDirectory("nnft-bench-classification");
        Path pre = work.resolve("preprocessed");
        List<SyntheticClassificationSet.Case> cases = SyntheticClassificationSet.generate(trainCases + valCases, 32, 1.0,
                seed);
        SyntheticClassificationSet.writePreprocessed(pre, cases);
        StringBuilder tr = new StringBuilder();
        StringBuilder va = new StringBuilder();
        for (int i = 0; i < cases.size(); i++) {
            StringBuilder sb = i < trainCases ? tr : va;
            sb.append(sb.length() == 0 ? "" : ", ").append('"').append(cases.get(i).id()).append('"');
        }
        Path splits = pre.resolve("splits_final.json");
        Files.writeString(splits, "[{\"train\": [" + tr + "], \"val\": [" + va + "]}]");
        System.out.printf(Locale.ROOT, "%d labelled training cases, %d held-out; %d epochs x %d iterations, batch 4%n",
                trainCases, valCases, epochs, iterations);
        HeadSettings head = new HeadSettings(HeadSettings.Pooling.MAX, List.of(1), 0, List.of());
        double[] results = new double[2];
        double[] seconds = new double[2];
        for (int run = 0; run < 2; run++) {
            boolean withPretrained = run == 0;
            FreezeSettings freeze = withPretrained
                    ? new FreezeSettings("encoder", false, List.of(new UnfreezeStep(epochs / 2, List.of(""), 1, 0)))
                    : FreezeSettings.NONE;
            ClassificationSettings s = new ClassificationSettings().epochs(epochs).iterationsPerEpoch(iterations)
                    .batchSize(4).seed(seed).initialLr(lr).head(head).freeze(freeze)
                    .encoderLrFactor(withPretrained ? 0.1 : 1);
            ClassificationInputs in = ClassificationInputs.of(pre, plans, "3d_fullres", "0", pre.resolve("classification.csv"),
                    work.resolve(withPretrained ? "pretrained" : "scratch")).withSplitsFile(splits);
            if (withPretrained) {
                in = in.withPretrained(pretrained);
            }
            long t0 = System.nanoTime();
            TrainingResult<ClassificationEpochRecord> r = ClassificationTask.train(in, s, new TrainingConsole(false));
            seconds[run] = (System.nanoTime() - t0) / 1e9;
            results[run] = r.log().get(r.log().size() - 1).balancedAccuracy();
        }
        System.out.printf(Locale.ROOT, "balanced accuracy on %d held-out cases (final model): pretrained encoder %.3f "
                + "(%.0f s), from scratch %.3f (%.0f s)%n", valCases, results[0], seconds[0], results[1], seconds[1]);
        return 0;
    }
}
