package io.nnft.preprocessing;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What nnU-Net's LabelManager tells the preprocessor about dataset.json's {@code labels}: the
 * classes (or regions) to collect foreground locations for. With an {@code ignore} label, one extra
 * entry of all labels (background included) lets training sample annotated voxels uniformly.
 */
public final class DatasetLabels {
    private final List<short[]> classesForLocations;

    private DatasetLabels(List<short[]> classesForLocations) {
        this.classesForLocations = classesForLocations;
    }

    /** Plain labels (no regions, no ignore label); for tests and raw arrays. */
    public static DatasetLabels ofForeground(int... labels) {
        List<short[]> out = new ArrayList<>();
        for (int l : labels) {
            out.add(new short[]{(short) l});
        }
        return new DatasetLabels(out);
    }

    /** From dataset.json's {@code labels} object; {@code where} names the file for error messages. */
    public static DatasetLabels fromDatasetJson(JsonNode datasetJson, String where) {
        JsonNode labels = datasetJson.get("labels");
        if (labels == null || !labels.isObject() || labels.size() == 0) {
            throw new IllegalArgumentException(where + ": expected a non-empty object 'labels', found "
                    + (labels == null ? "nothing" : labels.getNodeType()));
        }
        TreeSet<Integer> all = new TreeSet<>();
        List<short[]> regions = new ArrayList<>();
        boolean hasRegions = false;
        boolean hasIgnore = false;
        Iterator<Map.Entry<String, JsonNode>> it = labels.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            short[] values = values(v, where + ".labels." + e.getKey());
            if ("ignore".equals(e.getKey())) {
                hasIgnore = true;
                continue;
            }
            for (short s : values) {
                all.add((int) s);
            }
            if (v.isArray() && values.length > 1) {
                hasRegions = true;
            }
            if (!isBackground(values) && !(v.isArray() && singleNonzeroValue(values))) {
                // LabelManager drops background regions, and filter_background also drops a list whose
                // values are all one nonzero label (a quirk we keep so the sampled classes match)
                regions.add(values);
            }
        }
        if (!all.contains(0)) {
            throw new IllegalArgumentException(where + ".labels: background must be label 0, found labels " + all);
        }
        List<short[]> classes = new ArrayList<>();
        if (hasRegions) {
            classes.addAll(regions);
        } else {
            for (int l : all) {
                if (l != 0) {
                    classes.add(new short[]{(short) l});
                }
            }
        }
        if (hasIgnore) {
            short[] everything = new short[all.size()];
            int i = 0;
            for (int l : all) {
                everything[i++] = (short) l;
            }
            classes.add(everything);
        }
        return new DatasetLabels(classes);
    }

    private static boolean isBackground(short[] values) {
        for (short x : values) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean singleNonzeroValue(short[] values) {
        for (short x : values) {
            if (x != values[0]) {
                return false;
            }
        }
        return values[0] != 0;
    }

    private static short[] values(JsonNode v, String where) {
        if (v.isIntegralNumber()) {
            return new short[]{(short) v.asInt()};
        }
        if (v.isArray() && v.size() > 0) {
            short[] out = new short[v.size()];
            for (int i = 0; i < out.length; i++) {
                if (!v.get(i).isIntegralNumber()) {
                    throw new IllegalArgumentException(where + ": expected integer labels, found " + v);
                }
                out[i] = (short) v.get(i).asInt();
            }
            return out;
        }
        throw new IllegalArgumentException(where + ": expected an integer label or a list of them, found " + v);
    }

    /** Classes (single labels) or regions, in the order nnU-Net samples them. */
    public List<short[]> classesForLocations() {
        return classesForLocations;
    }
}
