package io.nnft.cli;

import io.nnft.preprocessing.io.PreprocessingException;
import io.nnft.preprocessing.io.PreprocessingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code nnft preprocess}: nnU-Net's DefaultPreprocessor over a raw dataset folder, written in
 * nnU-Net's unpacked layout ({@code <case>.npy}, {@code <case>_seg.npy}, {@code <case>.json}) plus
 * dataset.json and nnUNetPlans.json.
 */
@Command(name = "preprocess", mixinStandardHelpOptions = true,
        description = "Preprocess raw cases for one plans configuration, as nnUNetv2_preprocess does.")
public final class PreprocessCommand implements Callable<Integer> {
    @Mixin
    PreprocessArgs args;

    @Option(names = "--output", required = true, description = "output folder")
    Path output;

    @Option(names = "--cases-in-flight", description = "cases held in memory at once (default: --threads)")
    Integer casesInFlight;

    @Option(names = "--redo", description = "redo cases whose output already exists (default: keep them)")
    boolean redo;

    @Override
    public Integer call() throws Exception {
        args.check();
        int threads = args.threadCount();
        long t0 = System.nanoTime();
        List<PreprocessingRun.CaseReport> reports;
        try {
            reports = PreprocessingRun.run(args.options(output, casesInFlight == null ? threads : casesInFlight, !redo),
                    args.reader(), r -> System.out.printf("%s: %s%n", r.identifier(),
                            r.skipped() ? "already done" : String.format("%.2f s", r.seconds())));
        } catch (PreprocessingException | IllegalArgumentException | io.nnft.planning.PlansException
                 | io.nnft.dataset.DatasetFormatException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        copyReferences(reports.stream().map(PreprocessingRun.CaseReport::identifier).collect(java.util.stream.Collectors.toSet()));
        System.out.printf("preprocessed %d cases (%s) into %s in %.2f s%n", reports.size(), args.configuration,
                output, (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    /**
     * The raw labels, unchanged, in {@code gt_segmentations/} beside the cases (nnU-Net keeps them in
     * nnUNet_preprocessed/DatasetXXX/gt_segmentations): training's final validation scores against them.
     */
    private void copyReferences(java.util.Set<String> cases) throws IOException {
        io.nnft.dataset.RawDataset dataset = io.nnft.dataset.RawDataset.open(args.raw);
        Path gt = output.resolve(io.nnft.training.TrainingInputs.GT_SEGMENTATIONS);
        Files.createDirectories(gt);
        String ending = dataset.datasetJson().fileEnding();
        for (io.nnft.dataset.RawCase c : dataset.cases()) {
            if (c.hasLabel() && cases.contains(c.id())) {
                Files.copy(c.label(), gt.resolve(c.id() + ending), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
