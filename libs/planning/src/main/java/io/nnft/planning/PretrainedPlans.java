package io.nnft.planning;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A pretrained model's plans and, when present, its dataset.json (nnU-Net keeps both side by side in
 * the model folder: {@code plans.json}, {@code dataset.json}).
 *
 * @param plans       the pretrained plans
 * @param datasetJson the pretrained dataset.json or null
 */
public record PretrainedPlans(Plans plans, ObjectNode datasetJson) {

    /** {@code path} is a model folder (holding plans.json) or a plans file; dataset.json is looked up beside it. */
    public static PretrainedPlans locate(Path path) {
        Path plansFile = Files.isDirectory(path) ? path.resolve("plans.json") : path;
        if (!Files.isRegularFile(plansFile)) {
            throw new PlansException("pretrained plans: expected a plans.json file or a model folder holding one, "
                    + "found nothing at " + plansFile);
        }
        Plans plans = Plans.read(plansFile);
        Path parent = plansFile.toAbsolutePath().getParent();
        Path dj = parent == null ? null : parent.resolve("dataset.json");
        ObjectNode datasetJson = dj != null && Files.isRegularFile(dj) ? Json.readObject(dj) : null;
        return new PretrainedPlans(plans, datasetJson);
    }
}
