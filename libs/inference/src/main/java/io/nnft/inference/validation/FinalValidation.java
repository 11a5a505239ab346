package io.nnft.inference.validation;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nnft.imageio.NdArray;
import io.nnft.imageio.Nifti;
import io.nnft.imageio.NiftiImage;
import io.nnft.imageio.Npy;
import io.nnft.inference.evaluation.EvaluationSummary;
import io.nnft.inference.evaluation.FolderEvaluation;
import io.nnft.inference.prediction.CasePredictor;
import io.nnft.inference.prediction.ExportedPrediction;
import io.nnft.inference.prediction.PredictionSettings;
import io.nnft.inference.prediction.PredictionWriter;
import io.nnft.network.PlainConvUNet;
import io.nnft.planning.Plans;
import io.nnft.preprocessing.CaseProperties;
import io.nnft.preprocessing.Parallel;
import io.nnft.preprocessing.io.CaseWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;

/**
 * nnUNetTrainer.perform_actual_validation: every validation case of the fold is predicted from its
 * preprocessed data and properties (sliding window, mirroring over the allowed axes, step 0.5), exported
 * to {@code <fold>/validation/<case><file_ending>} with the geometry of its reference segmentation, and the
 * folder is scored against the references into {@code validation/summary.json}. The foreground mean Dice
 * is what the training reports as its final result (not the pseudo-Dice of the training patches).
 */
public final class FinalValidation {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * @param networks         the trained network(s), deep supervision is switched off for the prediction
     * @param manager          the manager (device) the networks live on
     * @param datasetJson      dataset.json (labels, file_ending)
     * @param preprocessedDir  the configuration's preprocessed folder: {@code <case>.npy} + {@code <case>.json}
     * @param referenceDir     reference segmentations {@code <case><file_ending>} (nnU-Net's gt_segmentations or
     *                         the raw labelsTr)
     * @param validationCases  the fold's validation identifiers (see {@link #validationCases})
     * @param foldDir          {@code .../fold_F}; {@code validation/} is created inside
     */
    public record Request(List<PlainConvUNet> networks, NDManager manager, Plans plans, String configuration,
                          JsonNode datasetJson, String datasetJsonWhere, Path preprocessedDir, Path referenceDir,
                          List<String> validationCases, Path foldDir, PredictionSettings settings, int threads) {
    }

    /** The outcome; {@link #meanForegroundDice()} is nnU-Net's "Mean Validation Dice". */
    public record Result(Path validationDir, EvaluationSummary summary) {
        public double meanForegroundDice() {
            return summary.foregroundMeanDice();
        }
    }

    private FinalValidation() {
    }

    public static Result run(Request r, Consumer<String> onCase) throws IOException {
        if (r.validationCases().isEmpty()) {
            throw new IllegalArgumentException(r.foldDir() + ": the fold has no validation cases to predict");
        }
        JsonNode ending = r.datasetJson().get("file_ending");
        if (ending == null || !ending.isTextual()) {
            throw new IllegalArgumentException(r.datasetJsonWhere() + ": expected a string 'file_ending', found "
                    + (ending == null ? "nothing" : ending));
        }
        String fileEnding = ending.asText();
        Path validation = r.foldDir().resolve("validation");
        Files.createDirectories(validation);
        for (String id : r.validationCases()) {
            need(CaseWriter.dataFile(r.preprocessedDir(), id), "preprocessed data of validation case " + id);
            need(CaseWriter.propertiesFile(r.preprocessedDir(), id), "properties of validation case " + id);
            need(r.referenceDir().resolve(id + fileEnding), "reference segmentation of validation case " + id);
        }
        ForkJoinPool pool = new ForkJoinPool(Math.max(1, r.threads()));
        try {
            CasePredictor predictor = new CasePredictor(r.plans(), r.configuration(), r.datasetJson(),
                    r.datasetJsonWhere(), r.networks(), r.manager(), r.settings(), Parallel.on(pool));
            int maxLabel = predictor.labels().maxLabel();
            for (String id : r.validationCases()) {
                NdArray data = Npy.read(CaseWriter.dataFile(r.preprocessedDir(), id));
                CaseProperties props = CaseProperties.fromJson(
                        Files.readString(CaseWriter.propertiesFile(r.preprocessedDir(), id)),
                        CaseWriter.propertiesFile(r.preprocessedDir(), id).toString());
                long[] s = data.shape();
                if (s.length != 4) {
                    throw new IllegalArgumentException(CaseWriter.dataFile(r.preprocessedDir(), id)
                            + ": expected preprocessed data (c, z, y, x), found shape " + Arrays.toString(s));
                }
                int[] shape = {(int) s[1], (int) s[2], (int) s[3]};
                float[][] channels = split(data.toFloats(), (int) s[0]);
                ExportedPrediction p = predictor.predictPreprocessed(channels, shape, props, false);
                NiftiImage reference = Nifti.read(r.referenceDir().resolve(id + fileEnding));
                PredictionWriter.writeSegmentation(validation.resolve(id + fileEnding), p, reference, maxLabel);
                if (onCase != null) {
                    onCase.accept(id);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        // nnU-Net scores the validation folder against gt_segmentations with chill=True
        EvaluationSummary summary = FolderEvaluation.run(FolderEvaluation.options(r.referenceDir(), validation,
                r.datasetJson(), r.datasetJsonWhere(), r.threads(), true));
        summary.write(validation.resolve("summary.json"));
        return new Result(validation, summary);
    }

    /** splits_final.json's {@code val} list of one fold. */
    public static List<String> validationCases(Path splitsFinal, int fold) throws IOException {
        JsonNode splits = MAPPER.readTree(need(splitsFinal, "splits_final.json").toFile());
        if (!splits.isArray() || fold < 0 || fold >= splits.size()) {
            throw new IllegalArgumentException(splitsFinal + ": expected a list with an entry for fold " + fold
                    + ", found " + (splits.isArray() ? splits.size() + " folds" : splits.getNodeType().toString()));
        }
        JsonNode val = splits.get(fold).get("val");
        if (val == null || !val.isArray()) {
            throw new IllegalArgumentException(splitsFinal + "[" + fold + "]: expected a 'val' list of case identifiers");
        }
        List<String> out = new ArrayList<>();
        val.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static float[][] split(float[] all, int channels) {
        int n = all.length / channels;
        float[][] out = new float[channels][];
        for (int c = 0; c < channels; c++) {
            out[c] = Arrays.copyOfRange(all, c * n, (c + 1) * n);
        }
        return out;
    }

    private static Path need(Path p, String what) {
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("final validation: expected the " + what + " at " + p + ", found no file");
        }
        return p;
    }
}
