package io.nnft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nnft.classification.ClassPrediction;
import io.nnft.classification.ClassificationCsv;
import io.nnft.classification.Classifier;
import io.nnft.inference.prediction.RawFolderPrediction;
import io.nnft.preprocessing.RawCase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code nnft classify}: a trained classifier (from {@code nnft train --task classification}) on a folder of raw
 * images in nnU-Net naming; each case is preprocessed with the model's plans (as in pretraining) and classified.
 * Writes {@code case,label,p_<class>...}.
 */
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = "Classify raw images (<case>_<XXXX>.nii.gz) with a classifier model folder; writes a CSV.")
public final class ClassifyCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "classifier model folder (classification.json, plans.json, fold_F/)")
    Path model;

    @Option(names = "--input", required = true, description = "folder of images named <case>_<XXXX><file_ending>")
    Path input;

    @Option(names = "--output", required = true, description = "predictions CSV to write (case,label,p_<class>...)")
    Path output;

    @Option(names = "--fold", description = "fold folder to use: 0..4 or all (default: the model's only fold_*)")
    String fold;

    @Option(names = "--checkpoint", defaultValue = "final", description = "final | best (default: ${DEFAULT-VALUE})")
    String checkpoint;

    @Override
    public Integer call() throws IOException {
        try {
            String f = fold != null ? fold : onlyFold(model);
            try (Classifier c = Classifier.load(model, f, checkpoint)) {
                JsonNode ds = new ObjectMapper().readTree(c.model().datasetJsonFile().toFile());
                String ending = ds.path("file_ending").asText(".nii.gz");
                int channels = Math.max(1, ds.path("channel_names").size());
                List<ClassPrediction> out = new ArrayList<>();
                for (RawFolderPrediction.InputCase ic : RawFolderPrediction.listCases(input, ending, channels)) {
                    RawCase raw = RawFolderPrediction.read(ic, null);
                    ClassPrediction p = c.predictRaw(raw);
                    out.add(p);
                    System.out.printf(Locale.ROOT, "%s: %s %s%n", p.caseId(), p.label(), fmt(p.probabilities()));
                }
                ClassificationCsv.writePredictions(output, c.classNames(), out);
                System.out.println("wrote " + out.size() + " predictions to " + output);
            }
        } catch (IllegalArgumentException | io.nnft.planning.PlansException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        return 0;
    }

    private static String onlyFold(Path model) throws IOException {
        if (!Files.isDirectory(model)) {
            throw new IllegalArgumentException("--model: expected a classifier model folder, found nothing at " + model);
        }
        List<String> folds;
        try (Stream<Path> s = Files.list(model)) {
            folds = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("fold_")).sorted()
                    .map(n -> n.substring("fold_".length())).toList();
        }
        if (folds.size() != 1) {
            throw new IllegalArgumentException("--fold: the model folder " + model + " has folds " + folds
                    + "; expected exactly one, or name it with --fold");
        }
        return folds.get(0);
    }

    private static String fmt(double[] p) {
        String[] s = new String[p.length];
        for (int i = 0; i < p.length; i++) {
            s[i] = String.format(Locale.ROOT, "%.3f", p[i]);
        }
        return Arrays.toString(s);
    }
}
