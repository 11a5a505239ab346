package io.nnft.export;

import com.fasterxml.jackson.databind.JsonNode;
import io.nnft.checkpoint.NnUNetCheckpoint;
import io.nnft.checkpoint.PyValues;
import io.nnft.pycompat.PythonJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An nnU-Net model folder as {@code nnUNetPredictor.initialize_from_trained_model_folder} reads it:
 * {@code plans.json}, {@code dataset.json} and {@code fold_<f>/checkpoint_final.pth}. The plans and dataset.json
 * are the ones the checkpoint was trained with (its init_args), written as nnU-Net's save_json writes them; the
 * checkpoint is re-written by libs/checkpoint with every top-level entry kept, under the name the predictor
 * loads by default whichever checkpoint (best or final) it came from.
 */
public final class NnUNetModelFolder {
    public static final String DIR = "nnunet_model";
    public static final String CHECKPOINT_NAME = "checkpoint_final.pth";

    private NnUNetModelFolder() {
    }

    /** nnU-Net's fold folder name: {@code fold_0}, or {@code fold_all}. */
    public static String foldFolder(NnUNetCheckpoint checkpoint, String where) {
        Object fold = checkpoint.fold();
        if (fold instanceof Number n) {
            return "fold_" + n.longValue();
        }
        if ("all".equals(fold)) {
            return "fold_all";
        }
        throw new ExportException(where + ": init_args['fold'] should be an int or 'all', found " + fold);
    }

    /** Writes the folder into {@code dir} (created); returns the files written. */
    public static List<Path> write(NnUNetCheckpoint checkpoint, Path dir, String where) throws IOException {
        Files.createDirectories(dir);
        Path plans = dir.resolve("plans.json");
        Files.writeString(plans, PythonJson.write(checkpoint.plansJson()));
        Path dataset = dir.resolve("dataset.json");
        JsonNode datasetJson = PyValues.toJson(checkpoint.datasetJson());
        Files.writeString(dataset, PythonJson.write(datasetJson));
        Path ckpt = dir.resolve(foldFolder(checkpoint, where)).resolve(CHECKPOINT_NAME);
        Files.createDirectories(ckpt.getParent());
        checkpoint.write(ckpt);
        return List.of(plans, dataset, ckpt);
    }
}
