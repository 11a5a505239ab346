package io.nnft.cli;

import io.nnft.planning.Plans;
import io.nnft.preprocessing.io.NiftiCaseReader;
import io.nnft.preprocessing.io.PreprocessingRun;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Options shared by {@code nnft preprocess} and {@code nnft bench preprocess}. */
final class PreprocessArgs {
    @Option(names = "--raw", required = true, description = "raw dataset folder (dataset.json, imagesTr/, labelsTr/)")
    Path raw;

    @Option(names = "--plans", required = true, description = "nnUNetPlans.json")
    Path plans;

    @Option(names = "--configuration", required = true, description = "e.g. 3d_fullres or 2d")
    String configuration;

    @Option(names = "--cases", split = ",", description = "only these case identifiers (comma separated)")
    List<String> cases;

    @Option(names = "--threads", description = "worker threads (default: available processors)")
    Integer threads;

    int threadCount() {
        int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (t < 1) {
            throw new BadInputException("--threads: expected at least 1, found " + t);
        }
        return t;
    }

    void check() {
        if (!Files.isDirectory(raw)) {
            throw new BadInputException("--raw: expected a raw dataset folder, found no folder at " + raw);
        }
        if (!Files.isRegularFile(plans)) {
            throw new BadInputException("--plans: expected an nnUNetPlans.json file, found no file at " + plans);
        }
    }

    PreprocessingRun.Options options(Path output, int casesInFlight, boolean skipComplete) {
        return new PreprocessingRun.Options(raw, plans, configuration, output, cases == null ? List.of() : cases,
                threadCount(), casesInFlight, skipComplete);
    }

    NiftiCaseReader reader() {
        try {
            return new NiftiCaseReader(Plans.read(plans).imageReaderWriter());
        } catch (RuntimeException e) {
            throw new BadInputException("--plans " + plans + ": " + e.getMessage(), e);
        }
    }

    static String shape(int[] s) {
        return Arrays.toString(s);
    }
}
