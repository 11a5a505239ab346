package io.nnft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nnft.inference.LabelOrRegion;
import io.nnft.inference.evaluation.EvaluationSummary;
import io.nnft.inference.evaluation.FolderEvaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code nnft evaluate}: nnUNetv2_evaluate_folder — Dice/IoU per case and label into summary.json. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Score predicted segmentations against references (nnU-Net's summary.json).")
public final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--reference", required = true, description = "folder of reference segmentations")
    Path reference;

    @Option(names = "--prediction", required = true, description = "folder of predicted segmentations")
    Path prediction;

    @Option(names = "--dataset-json", required = true, description = "dataset.json (labels, file_ending)")
    Path datasetJson;

    @Option(names = "--output", description = "summary file (default: <prediction>/summary.json)")
    Path output;

    @Option(names = "--chill", description = "allow references without a prediction")
    boolean chill;

    @Option(names = "--threads", description = "cases evaluated in parallel (default: all processors)")
    Integer threads;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(datasetJson)) {
            throw new BadInputException("--dataset-json: expected a file, found none at " + datasetJson);
        }
        JsonNode ds;
        try {
            ds = new ObjectMapper().readTree(datasetJson.toFile());
        } catch (IOException e) {
            throw new BadInputException(datasetJson + ": not valid JSON: " + e.getMessage(), e);
        }
        Path out = output != null ? output : prediction.resolve("summary.json");
        if (!out.getFileName().toString().endsWith(".json")) {
            throw new BadInputException("--output: expected a .json file name, found " + out);
        }
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        EvaluationSummary s;
        try {
            s = FolderEvaluation.run(FolderEvaluation.options(reference, prediction, ds, datasetJson.toString(), n, chill));
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        s.write(out);
        for (LabelOrRegion r : s.labelsOrRegions()) {
            System.out.printf("label %s: mean Dice %.4f, IoU %.4f%n", r.key(), s.mean(r, "Dice"), s.mean(r, "IoU"));
        }
        System.out.printf("%d cases, foreground mean Dice %.4f -> %s%n", s.perCase().size(), s.foregroundMeanDice(), out);
        return 0;
    }
}
