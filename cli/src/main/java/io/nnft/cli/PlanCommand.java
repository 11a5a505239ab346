package io.nnft.cli;

import io.nnft.planning.CompatibilityReport;
import io.nnft.planning.ConfigurationPlan;
import io.nnft.planning.ExperimentPlanner;
import io.nnft.planning.IncompatiblePlansException;
import io.nnft.planning.PlannerInputs;
import io.nnft.planning.PlannerSettings;
import io.nnft.planning.Plans;
import io.nnft.planning.PlansException;
import io.nnft.planning.PlansTransfer;
import io.nnft.planning.PretrainedPlans;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * {@code nnft plan}: nnU-Net's default experiment planner on dataset.json + dataset_fingerprint.json, or,
 * with {@code --pretrained-plans}, the pretrained model's plans moved to this dataset plus a
 * compatibility report written next to the output.
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Plan nnU-Net configurations (nnUNetPlans.json) from dataset.json and the dataset fingerprint.")
public final class PlanCommand implements Callable<Integer> {
    static final String REPORT_FILE = "compatibility_report.json";

    @Option(names = "--dataset-json", required = true, description = "the raw dataset's dataset.json")
    Path datasetJson;

    @Option(names = "--fingerprint", required = true, description = "dataset_fingerprint.json")
    Path fingerprint;

    @Option(names = "--output", required = true, description = "plans file to write, e.g. nnUNetPlans.json")
    Path output;

    @Option(names = "--dataset-name", description = "DatasetNNN_Name; default: the folder holding dataset.json "
            + "when it is named like that, else dataset.json's name")
    String datasetName;

    @Option(names = "--plans-name", defaultValue = "nnUNetPlans", description = "plans identifier (default ${DEFAULT-VALUE})")
    String plansName;

    @Option(names = "--pretrained-plans", description = "a pretrained model folder (plans.json, dataset.json) or its "
            + "plans.json: take its architecture and preprocessing; writes " + REPORT_FILE + " next to --output")
    Path pretrainedPlans;

    @Override
    public Integer call() {
        requireFile(datasetJson, "--dataset-json");
        requireFile(fingerprint, "--fingerprint");
        if (pretrainedPlans != null && !Files.exists(pretrainedPlans)) {
            throw new BadInputException("--pretrained-plans: expected a model folder or plans.json, found nothing at "
                    + pretrainedPlans);
        }
        try {
            PlannerInputs inputs = PlannerInputs.read(datasetJson, fingerprint, datasetName);
            Plans plans;
            if (pretrainedPlans == null) {
                plans = new ExperimentPlanner(inputs, PlannerSettings.defaults().withPlansName(plansName)).plan();
            } else {
                PretrainedPlans pre = PretrainedPlans.locate(pretrainedPlans);
                PlansTransfer.Result r = PlansTransfer.transfer(pre.plans(), pre.datasetJson(), inputs, plansName, null);
                Path report = reportPath(output);
                createParent(report);
                r.report().write(report);
                printReport(r.report(), report);
                plans = r.plansOrThrow();
            }
            createParent(output);
            plans.write(output);
            for (String name : plans.configurationNames()) {
                ConfigurationPlan c = plans.configuration(name);
                System.out.println(name + ": patch " + Arrays.toString(c.patchSize()) + ", batch " + c.batchSize()
                        + ", spacing " + Arrays.toString(c.spacing()) + ", stages " + c.poolOpKernelSizes().length);
            }
            System.out.println("wrote " + output);
            return 0;
        } catch (IncompatiblePlansException e) {
            throw new BadInputException(e.getMessage() + " (report: " + reportPath(output) + ")", e);
        } catch (PlansException e) {
            throw new BadInputException(e.getMessage(), e);
        }
    }

    static Path reportPath(Path output) {
        Path parent = output.toAbsolutePath().getParent();
        return parent == null ? Path.of(REPORT_FILE) : parent.resolve(REPORT_FILE);
    }

    private static void printReport(CompatibilityReport r, Path file) {
        System.out.println("compatibility " + r.pretrainedDataset() + " -> " + r.downstreamDataset() + " ("
                + r.configuration() + "): " + (r.compatible() ? "compatible" : "INCOMPATIBLE"));
        r.mismatches().forEach(m -> System.out.println("  mismatch " + m));
        r.warnings().forEach(w -> System.out.println("  warning  " + w));
        System.out.println("wrote " + file);
    }

    static void requireFile(Path p, String option) {
        if (!Files.isRegularFile(p)) {
            throw new BadInputException(option + ": expected a file, found " + (Files.exists(p) ? "a folder" : "nothing")
                    + " at " + p);
        }
    }

    static void createParent(Path p) {
        try {
            Path parent = p.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (java.io.IOException e) {
            throw new BadInputException("cannot create the folder for " + p + ": " + e.getMessage(), e);
        }
    }
}
