package io.nnft.cli;

import io.nnft.dataset.DatasetProblem;
import io.nnft.dataset.DatasetVerifier;
import io.nnft.dataset.VerificationReport;
import io.nnft.imageio.Nifti;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nnft verify-dataset}: nnU-Net's dataset integrity check on a raw dataset folder. Prints every
 * problem (one per line: severity, where, what, expected, found) on stdout; exit 0 when there are no
 * errors (warnings allowed), 2 otherwise.
 */
@Command(name = "verify-dataset", mixinStandardHelpOptions = true,
        description = "Check an nnU-Net raw dataset (dataset.json, imagesTr, labelsTr) like"
                + " nnUNetv2_plan_and_preprocess --verify_dataset_integrity, listing every problem.")
public final class VerifyDatasetCommand implements Callable<Integer> {
    @Option(names = "--raw", required = true, paramLabel = "DIR",
            description = "raw dataset folder with dataset.json (or dataset.json in its parent), imagesTr, labelsTr")
    Path raw;

    @Option(names = "--threads", paramLabel = "N", description = "cases checked in parallel (default: all cores)")
    Integer threads;

    @Override
    public Integer call() throws IOException {
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (n < 1) {
            throw new BadInputException("--threads: expected >= 1, found " + n);
        }
        long start = System.nanoTime();
        VerificationReport report = new DatasetVerifier(n, Nifti.DEFAULT_MAX_BYTES).verify(raw);
        for (DatasetProblem p : report.problems()) {
            System.out.println(p);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String counts = report.errors().size() + " error(s), " + report.warnings().size() + " warning(s)";
        if (!report.isOk()) {
            throw new BadInputException("verify-dataset: " + raw + ": " + counts + " in " + report.caseCount()
                    + " case(s)");
        }
        System.out.printf("OK: %s: %d case(s) verified, %s, %.1f s%n", raw, report.caseCount(), counts, seconds);
        return 0;
    }
}
