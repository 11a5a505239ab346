package io.nnft.cli;

import io.nnft.planning.Fingerprint;
import io.nnft.planning.FingerprintExtractor;
import io.nnft.planning.PlansException;
import io.nnft.planning.RawFolderCases;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code nnft fingerprint}: nnU-Net's dataset fingerprint of a raw dataset folder. */
@Command(name = "fingerprint", mixinStandardHelpOptions = true,
        description = "Extract nnU-Net's dataset_fingerprint.json from a raw dataset (imagesTr, labelsTr).")
public final class FingerprintCommand implements Callable<Integer> {
    @Option(names = "--raw", required = true, description = "raw dataset folder (dataset.json, imagesTr, labelsTr)")
    Path raw;

    @Option(names = "--output", required = true, description = "file to write, e.g. dataset_fingerprint.json")
    Path output;

    @Option(names = "--threads", description = "cases read in parallel (default: all cores)")
    Integer threads;

    @Override
    public Integer call() {
        if (!Files.isDirectory(raw)) {
            throw new BadInputException("--raw: expected a raw dataset folder, found "
                    + (Files.exists(raw) ? "a file" : "nothing") + " at " + raw);
        }
        if (threads != null && threads < 1) {
            throw new BadInputException("--threads: expected >= 1, found " + threads);
        }
        try {
            RawFolderCases cases = RawFolderCases.open(raw);
            long t0 = System.nanoTime();
            FingerprintExtractor extractor = threads == null ? new FingerprintExtractor() : new FingerprintExtractor(threads);
            Fingerprint fp = extractor.extract(cases);
            double seconds = (System.nanoTime() - t0) / 1e9;
            PlanCommand.createParent(output);
            fp.write(output);
            System.out.printf("%d cases, %d channel(s) in %.1f s; wrote %s%n", cases.size(),
                    fp.foregroundIntensityPropertiesPerChannel().size(), seconds, output);
            return 0;
        } catch (PlansException e) {
            throw new BadInputException(e.getMessage(), e);
        } catch (IOException e) {
            throw new BadInputException("reading " + raw + " failed: " + e.getMessage(), e);
        }
    }
}
