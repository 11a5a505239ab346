package io.nnft.training;

import io.nnft.inference.prediction.PredictionSettings;
import io.nnft.inference.prediction.TrainedModel;
import io.nnft.inference.validation.FinalValidation;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The end of nnUNetTrainer.run_training: perform_actual_validation with the checkpoint just written
 * (checkpoint_final.pth, read back so what is validated is exactly what is shipped), into
 * {@code fold_F/validation/}. Skipped, with a message, when no reference segmentations are available.
 */
final class FinalValidationStep {
    private FinalValidationStep() {
    }

    /** @return the foreground mean Dice, or null when skipped */
    static Double run(TrainingInputs in, List<String> validationCases, int threads, TrainingListener listener)
            throws IOException {
        Path reference = in.resolvedReferenceDir();
        if (reference == null) {
            listener.message("final validation skipped: no reference segmentations ("
                    + (in.referenceDir() != null ? in.referenceDir() + " is not a folder"
                    : TrainingInputs.GT_SEGMENTATIONS + "/ in " + in.preprocessed() + " or its parent") + ")");
            return null;
        }
        if (validationCases.isEmpty()) {
            listener.message("final validation skipped: fold " + in.fold() + " has no validation cases");
            return null;
        }
        listener.message("final validation: predicting " + validationCases.size() + " validation cases of fold "
                + in.fold() + " against " + reference);
        try (TrainedModel model = TrainedModel.open(in.outputDir(), List.of(in.fold()), "checkpoint_final.pth")) {
            FinalValidation.Result r = FinalValidation.run(new FinalValidation.Request(model.networks(), model.manager(),
                    model.plans(), model.configuration(), model.datasetJson(), in.outputDir().resolve("dataset.json").toString(),
                    in.preprocessed(), reference, validationCases, in.foldDirectory(),
                    PredictionSettings.defaults(model.mirrorAxes()), threads), null);
            listener.message(String.format("final validation: mean validation Dice %.4f (%s)", r.meanForegroundDice(),
                    r.validationDir().resolve("summary.json")));
            return r.meanForegroundDice();
        }
    }
}
