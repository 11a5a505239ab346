package io.nnft.inference;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What nnU-Net's LabelManager derives from dataset.json's {@code labels} for inference and evaluation:
 * the foreground labels (or regions), whether regions are used (sigmoid per region instead of softmax),
 * {@code regions_class_order}, the ignore label and the number of segmentation heads.
 */
public final class LabelLayout {
    private final List<LabelOrRegion> allLabels;
    private final List<LabelOrRegion> foregroundLabels;
    private final List<LabelOrRegion> foregroundRegions;
    private final boolean hasRegions;
    private final Integer ignoreLabel;
    private final int[] regionsClassOrder;

    private LabelLayout(List<LabelOrRegion> allLabels, List<LabelOrRegion> foregroundLabels,
                        List<LabelOrRegion> foregroundRegions, boolean hasRegions, Integer ignoreLabel,
                        int[] regionsClassOrder) {
        this.allLabels = allLabels;
        this.foregroundLabels = foregroundLabels;
        this.foregroundRegions = foregroundRegions;
        this.hasRegions = hasRegions;
        this.ignoreLabel = ignoreLabel;
        this.regionsClassOrder = regionsClassOrder;
    }

    /** From a dataset.json tree; {@code where} names the file in error messages. */
    public static LabelLayout fromDatasetJson(JsonNode datasetJson, String where) {
        JsonNode labels = datasetJson.get("labels");
        if (labels == null || !labels.isObject() || labels.size() == 0) {
            throw new IllegalArgumentException(where + ": expected a non-empty object 'labels', found "
                    + (labels == null ? "nothing" : labels.getNodeType()));
        }
        TreeSet<Integer> all = new TreeSet<>();
        List<LabelOrRegion> regions = new ArrayList<>();
        boolean hasRegions = false;
        Integer ignore = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String field = where + ".labels." + e.getKey();
            LabelOrRegion value = LabelOrRegion.fromJson(e.getValue(), field);
            if ("ignore".equals(e.getKey())) {
                if (value.isRegion()) {
                    throw new IllegalArgumentException(field + ": the ignore label must be one integer, found "
                            + e.getValue());
                }
                ignore = value.labels()[0];
                continue;
            }
            for (int l : value.labels()) {
                all.add(l);
            }
            hasRegions |= value.isRegion() && value.labels().length > 1;
            if (!"background".equals(e.getKey())) {
                regions.add(value);
            }
        }
        if (!all.contains(0)) {
            throw new IllegalArgumentException(where + ".labels: background must be label 0, found labels " + all);
        }
        List<LabelOrRegion> allList = new ArrayList<>();
        List<LabelOrRegion> fg = new ArrayList<>();
        for (int l : all) {
            allList.add(LabelOrRegion.label(l));
            if (l != 0) {
                fg.add(LabelOrRegion.label(l));
            }
        }
        int[] order = null;
        if (hasRegions) {
            JsonNode rco = datasetJson.get("regions_class_order");
            if (rco == null || !rco.isArray() || rco.size() != regions.size()) {
                throw new IllegalArgumentException(where + ": region-based labels need 'regions_class_order' with one "
                        + "entry per region (" + regions.size() + "), found " + (rco == null ? "nothing" : rco));
            }
            order = new int[rco.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = rco.get(i).asInt();
            }
        }
        return new LabelLayout(allList, fg, hasRegions ? regions : List.of(), hasRegions, ignore, order);
    }

    /** Every label except the ignore label, background first. */
    public List<LabelOrRegion> allLabels() {
        return allLabels;
    }

    public List<LabelOrRegion> foregroundLabels() {
        return foregroundLabels;
    }

    /** The regions in dataset.json order (empty without regions). */
    public List<LabelOrRegion> foregroundRegions() {
        return foregroundRegions;
    }

    /** What evaluate_predictions scores: the regions when there are any, else the foreground labels. */
    public List<LabelOrRegion> labelsOrRegionsToEvaluate() {
        return hasRegions ? foregroundRegions : foregroundLabels;
    }

    public boolean hasRegions() {
        return hasRegions;
    }

    /** null without an ignore label. */
    public Integer ignoreLabel() {
        return ignoreLabel;
    }

    /** The label written where region i's probability exceeds 0.5; null without regions. */
    public int[] regionsClassOrder() {
        return regionsClassOrder == null ? null : regionsClassOrder.clone();
    }

    /** Network outputs: one per region, or one per label (background included). */
    public int numSegmentationHeads() {
        return hasRegions ? foregroundRegions.size() : allLabels.size();
    }

    /** Largest label a segmentation can hold (for the output element type). */
    public int maxLabel() {
        int max = 0;
        for (LabelOrRegion l : allLabels) {
            max = Math.max(max, l.labels()[0]);
        }
        return max;
    }
}
