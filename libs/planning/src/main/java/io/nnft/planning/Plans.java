package io.nnft.planning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nnft.pycompat.PythonJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Read-only typed view of an nnU-Net {@code nnUNetPlans.json} (what nnU-Net's PlansManager exposes).
 * The JSON tree is kept as read so the plans can be written back unchanged; accessors validate the
 * keys they touch and name the source and key when something is wrong.
 */
public final class Plans {
    private final ObjectNode root;
    private final String source;

    private Plans(ObjectNode root, String source) {
        this.root = root;
        this.source = source;
        Json.object(root, "configurations", source);
    }

    public static Plans read(Path file) {
        return new Plans(Json.readObject(file), file.toString());
    }

    public static Plans parse(String json) {
        return parse(json, "plans");
    }

    public static Plans parse(String json, String source) {
        return new Plans(Json.parseObject(json, source), source);
    }

    /** Wraps a tree (not copied: callers hand over ownership). */
    public static Plans of(ObjectNode root, String source) {
        return new Plans(root, source);
    }

    /** A deep copy of the underlying tree, key order as read. */
    public ObjectNode json() {
        return root.deepCopy();
    }

    /** The plans as nnU-Net writes them (json.dump indent 4, key order kept). */
    public String toJsonString() {
        return PythonJson.write(root);
    }

    public void write(Path file) {
        try {
            Files.writeString(file, toJsonString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write plans to " + file, e);
        }
    }

    public String source() {
        return source;
    }

    public String datasetName() {
        return Json.text(root, "dataset_name", source);
    }

    public String plansName() {
        return Json.text(root, "plans_name", source);
    }

    public int[] transposeForward() {
        return Json.ints(root, "transpose_forward", source);
    }

    public int[] transposeBackward() {
        return Json.ints(root, "transpose_backward", source);
    }

    public double[] originalMedianSpacingAfterTranspose() {
        return Json.doubles(root, "original_median_spacing_after_transp", source);
    }

    public double[] originalMedianShapeAfterTranspose() {
        return Json.doubles(root, "original_median_shape_after_transp", source);
    }

    public String imageReaderWriter() {
        return Json.text(root, "image_reader_writer", source);
    }

    public String experimentPlannerUsed() {
        return Json.text(root, "experiment_planner_used", source);
    }

    public String labelManager() {
        return Json.text(root, "label_manager", source);
    }

    /** Number of channels with intensity properties. */
    public int numberOfChannelsWithIntensityProperties() {
        return intensityNode().size();
    }

    public IntensityProperties foregroundIntensityProperties(int channel) {
        ObjectNode all = intensityNode();
        String where = source + ".foreground_intensity_properties_per_channel";
        JsonNode c = all.get(Integer.toString(channel));
        if (c == null) {
            List<String> keys = new ArrayList<>();
            all.fieldNames().forEachRemaining(keys::add);
            throw new PlansException(where + ": no entry for channel " + channel + ", found channels " + keys);
        }
        return IntensityProperties.fromJson(c, where + "." + channel);
    }

    private ObjectNode intensityNode() {
        // very old plans used "..._by_modality"; PlansManager falls back to it too
        if (!root.has("foreground_intensity_properties_per_channel")
                && root.has("foreground_intensity_properties_by_modality")) {
            return Json.object(root, "foreground_intensity_properties_by_modality", source);
        }
        return Json.object(root, "foreground_intensity_properties_per_channel", source);
    }

    public List<String> configurationNames() {
        List<String> names = new ArrayList<>();
        root.get("configurations").fieldNames().forEachRemaining(names::add);
        return List.copyOf(names);
    }

    public boolean hasConfiguration(String name) {
        return root.get("configurations").has(name);
    }

    /** The configuration with {@code inherits_from} resolved as PlansManager does (child keys replace parent keys). */
    public ConfigurationPlan configuration(String name) {
        return new ConfigurationPlan(name, resolve(name, new LinkedHashSet<>()), source + ".configurations." + name);
    }

    private ObjectNode resolve(String name, Set<String> visited) {
        JsonNode configs = root.get("configurations");
        JsonNode c = configs.get(name);
        if (c == null) {
            throw new PlansException(source + ": configuration '" + name + "' not found, available: "
                    + configurationNames());
        }
        if (!c.isObject()) {
            throw new PlansException(source + ".configurations." + name + ": expected an object, found "
                    + c.getNodeType());
        }
        ObjectNode own = (ObjectNode) c.deepCopy();
        if (!own.has("inherits_from")) {
            return own;
        }
        if (!visited.add(name)) {
            throw new PlansException(source + ": circular inherits_from among configurations " + visited);
        }
        String parent = Json.text(own, "inherits_from", source + ".configurations." + name);
        if (visited.contains(parent)) {
            throw new PlansException(source + ": circular inherits_from: " + visited + " -> " + parent);
        }
        ObjectNode base = resolve(parent, visited);
        for (Iterator<String> it = own.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            base.set(k, own.get(k));
        }
        return base;
    }
}
