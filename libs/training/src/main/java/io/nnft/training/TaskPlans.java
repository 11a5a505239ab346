package io.nnft.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nnft.checkpoint.ModelFolder;
import io.nnft.imageio.AtomicFiles;
import io.nnft.planning.ConfigurationPlan;
import io.nnft.planning.Plans;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * What every task reads first: the plans with the configuration to train (3D only) and the dataset.json the data
 * was preprocessed with; both go into the model folder when training starts, as nnU-Net's trainer copies them.
 *
 * @param datasetJsonFile the file {@code datasetJson} was read from
 */
public record TaskPlans(Path plansFile, JsonNode plansJson, String configuration, ConfigurationPlan conf, int[] patch,
                        Path datasetJsonFile, JsonNode datasetJson) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * @param datasetJsonFile the dataset.json found for the data (null: none, an error naming {@code preprocessed})
     * @param plansExpected   what --plans should be, for the error when it is missing
     * @param task            who needs 3D, for the error on a 2D configuration
     */
    public static TaskPlans read(Path plans, String configuration, Path datasetJsonFile, Path preprocessed,
                                 String plansExpected, String task) throws IOException {
        if (!Files.isRegularFile(plans)) {
            throw new IllegalArgumentException("--plans: expected " + plansExpected + ", found nothing at " + plans);
        }
        ConfigurationPlan conf = Plans.read(plans).configuration(configuration);
        int[] patch = conf.patchSize();
        if (patch.length != 3) {
            throw new IllegalArgumentException(plans + ": configuration '" + configuration + "' has patch size "
                    + Arrays.toString(patch) + "; " + task + " handles 3D configurations only");
        }
        if (datasetJsonFile == null) {
            throw new IllegalArgumentException("dataset.json: expected one in " + preprocessed + ", its parent or "
                    + "beside the plans, found none");
        }
        return new TaskPlans(plans, MAPPER.readTree(plans.toFile()), configuration, conf, patch, datasetJsonFile,
                MAPPER.readTree(datasetJsonFile.toFile()));
    }

    /** plans.json and dataset.json into the model folder. */
    public void copyTo(Path outputDir) throws IOException {
        AtomicFiles.copy(plansFile, outputDir.resolve(ModelFolder.PLANS_JSON));
        AtomicFiles.copy(datasetJsonFile, outputDir.resolve(ModelFolder.DATASET_JSON));
    }
}
