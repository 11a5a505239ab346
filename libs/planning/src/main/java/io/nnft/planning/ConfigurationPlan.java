package io.nnft.planning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One resolved configuration of the plans (2d, 3d_fullres, ...), what nnU-Net's ConfigurationManager
 * exposes. Holds its own copy of the resolved JSON.
 */
public final class ConfigurationPlan {
    private final String name;
    private final ObjectNode c;
    private final String where;

    ConfigurationPlan(String name, ObjectNode resolved, String where) {
        this.name = name;
        this.c = resolved;
        this.where = where;
    }

    public String name() {
        return name;
    }

    /** A copy of the resolved configuration tree. */
    public ObjectNode json() {
        return c.deepCopy();
    }

    public String dataIdentifier() {
        return Json.text(c, "data_identifier", where);
    }

    public String preprocessorName() {
        return Json.text(c, "preprocessor_name", where);
    }

    public int batchSize() {
        return Json.integer(c, "batch_size", where);
    }

    public int[] patchSize() {
        return Json.ints(c, "patch_size", where);
    }

    /** Spatial dimensionality: 2 for 2d, 3 otherwise. */
    public int dimension() {
        return patchSize().length;
    }

    public double[] medianImageSizeInVoxels() {
        return Json.doubles(c, "median_image_size_in_voxels", where);
    }

    public double[] spacing() {
        return Json.doubles(c, "spacing", where);
    }

    public List<String> normalizationSchemes() {
        return Json.strings(c, "normalization_schemes", where);
    }

    public boolean[] useMaskForNorm() {
        return Json.bools(c, "use_mask_for_norm", where);
    }

    public String resamplingFnData() {
        return Json.text(c, "resampling_fn_data", where);
    }

    public JsonNode resamplingFnDataKwargs() {
        return Json.object(c, "resampling_fn_data_kwargs", where).deepCopy();
    }

    public String resamplingFnSeg() {
        return Json.text(c, "resampling_fn_seg", where);
    }

    public JsonNode resamplingFnSegKwargs() {
        return Json.object(c, "resampling_fn_seg_kwargs", where).deepCopy();
    }

    public String resamplingFnProbabilities() {
        return Json.text(c, "resampling_fn_probabilities", where);
    }

    public JsonNode resamplingFnProbabilitiesKwargs() {
        return Json.object(c, "resampling_fn_probabilities_kwargs", where).deepCopy();
    }

    public boolean batchDice() {
        return Json.bool(c, "batch_dice", where);
    }

    public String architectureClassName() {
        return Json.text(architecture(), "network_class_name", where + ".architecture");
    }

    /** {@code architecture.arch_kwargs}, a copy. */
    public JsonNode archKwargs() {
        return Json.object(architecture(), "arch_kwargs", where + ".architecture").deepCopy();
    }

    public List<String> archKwargsRequiresImport() {
        return Json.strings(architecture(), "_kw_requires_import", where + ".architecture");
    }

    /** {@code arch_kwargs.strides}: the pooling per stage (nnU-Net's pool_op_kernel_sizes). */
    public int[][] poolOpKernelSizes() {
        return Json.intMatrix(archKwargs(), "strides", where + ".architecture.arch_kwargs");
    }

    /** {@code arch_kwargs.kernel_sizes}: conv kernel per stage. */
    public int[][] convKernelSizes() {
        return Json.intMatrix(archKwargs(), "kernel_sizes", where + ".architecture.arch_kwargs");
    }

    public Optional<String> previousStage() {
        JsonNode n = c.get("previous_stage");
        return n == null || n.isNull() ? Optional.empty() : Optional.of(n.asText());
    }

    /** {@code next_stage} may be a string or a list in nnU-Net's plans; always a list here. */
    public List<String> nextStages() {
        JsonNode n = c.get("next_stage");
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (n.isArray()) {
            n.forEach(e -> out.add(e.asText()));
        } else {
            out.add(n.asText());
        }
        return List.copyOf(out);
    }

    private ObjectNode architecture() {
        return Json.object(c, "architecture", where);
    }

    @Override
    public String toString() {
        return where;
    }
}
