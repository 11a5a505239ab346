package io.nnft.inference.evaluation;

import io.nnft.imageio.AtomicFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nnft.inference.LabelOrRegion;
import io.nnft.pycompat.PythonJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * nnU-Net's summary.json: {@code metric_per_case}, {@code mean} (per label or region, each metric
 * averaged over the cases with np.nanmean, so cases where Dice is NaN — empty reference and empty
 * prediction — do not count) and {@code foreground_mean} (plain mean over the labels' means, label 0
 * excluded; a label whose mean is NaN makes it NaN, as np.mean does).
 */
public final class EvaluationSummary {
    /** The metrics in the (sorted) order nnU-Net's save_json writes them. */
    public static final List<String> METRICS = List.of("Dice", "FN", "FP", "IoU", "TN", "TP", "n_pred", "n_ref");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final List<LabelOrRegion> labelsOrRegions;
    private final List<CaseMetrics> perCase;
    private final Map<LabelOrRegion, Map<String, Double>> mean;
    private final Map<String, Double> foregroundMean;

    public EvaluationSummary(List<LabelOrRegion> labelsOrRegions, List<CaseMetrics> perCase) {
        if (perCase.isEmpty()) {
            throw new IllegalArgumentException("no cases to summarize: expected at least one prediction");
        }
        this.labelsOrRegions = List.copyOf(labelsOrRegions);
        this.perCase = List.copyOf(perCase);
        this.mean = new LinkedHashMap<>();
        for (LabelOrRegion r : labelsOrRegions) {
            Map<String, Double> m = new LinkedHashMap<>();
            for (String metric : METRICS) {
                m.put(metric, nanMean(perCase, c -> value(c.metrics().get(r), metric)));
            }
            mean.put(r, m);
        }
        this.foregroundMean = new LinkedHashMap<>();
        for (String metric : METRICS) {
            double sum = 0;
            int n = 0;
            for (LabelOrRegion r : labelsOrRegions) {
                if (r.key().equals("0")) {
                    continue;
                }
                sum += mean.get(r).get(metric);
                n++;
            }
            foregroundMean.put(metric, n == 0 ? Double.NaN : sum / n);
        }
    }

    public static double value(ConfusionCounts c, String metric) {
        return switch (metric) {
            case "Dice" -> c.dice();
            case "IoU" -> c.iou();
            case "TP" -> c.tp();
            case "FP" -> c.fp();
            case "FN" -> c.fn();
            case "TN" -> c.tn();
            case "n_pred" -> c.nPred();
            case "n_ref" -> c.nRef();
            default -> throw new IllegalArgumentException("unknown metric '" + metric + "', expected one of " + METRICS);
        };
    }

    private static double nanMean(List<CaseMetrics> cases, ToDoubleFunction<CaseMetrics> f) {
        double sum = 0;
        int n = 0;
        for (CaseMetrics c : cases) {
            double v = f.applyAsDouble(c);
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    public List<LabelOrRegion> labelsOrRegions() {
        return labelsOrRegions;
    }

    public List<CaseMetrics> perCase() {
        return perCase;
    }

    /** Mean of {@code metric} for one label or region over the cases (NaN cases skipped). */
    public double mean(LabelOrRegion r, String metric) {
        Map<String, Double> m = mean.get(r);
        if (m == null) {
            throw new IllegalArgumentException("label or region " + r + " was not evaluated; evaluated: " + labelsOrRegions);
        }
        return m.get(metric);
    }

    public double foregroundMean(String metric) {
        return foregroundMean.get(metric);
    }

    /** The number the training reports: foreground_mean's Dice. */
    public double foregroundMeanDice() {
        return foregroundMean.get("Dice");
    }

    /** The JSON tree, keys sorted as nnU-Net's save_json(sort_keys=True) writes them. */
    public ObjectNode toJson() {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode fg = root.putObject("foreground_mean");
        for (String metric : METRICS) {
            fg.put(metric, foregroundMean.get(metric));
        }
        ObjectNode meanNode = root.putObject("mean");
        for (Map.Entry<String, LabelOrRegion> e : byKey(labelsOrRegions).entrySet()) {
            ObjectNode m = meanNode.putObject(e.getKey());
            for (String metric : METRICS) {
                m.put(metric, mean.get(e.getValue()).get(metric));
            }
        }
        ArrayNode cases = root.putArray("metric_per_case");
        for (CaseMetrics c : perCase) {
            ObjectNode cn = cases.addObject();
            ObjectNode metrics = cn.putObject("metrics");
            for (Map.Entry<String, LabelOrRegion> e : byKey(labelsOrRegions).entrySet()) {
                ConfusionCounts counts = c.metrics().get(e.getValue());
                ObjectNode m = metrics.putObject(e.getKey());
                m.put("Dice", counts.dice());
                m.put("FN", counts.fn());
                m.put("FP", counts.fp());
                m.put("IoU", counts.iou());
                m.put("TN", counts.tn());
                m.put("TP", counts.tp());
                m.put("n_pred", counts.nPred());
                m.put("n_ref", counts.nRef());
            }
            cn.put("prediction_file", c.predictionFile());
            cn.put("reference_file", c.referenceFile());
        }
        return root;
    }

    /** Writes summary.json as Python's json.dump(indent=4, sort_keys=True) does (NaN written bare). */
    public void write(Path file) throws IOException {
        String json = PythonJson.write(toJson());
        AtomicFiles.write(file, tmp -> Files.writeString(tmp, json, StandardCharsets.UTF_8));
    }

    private static TreeMap<String, LabelOrRegion> byKey(List<LabelOrRegion> rs) {
        TreeMap<String, LabelOrRegion> out = new TreeMap<>();
        for (LabelOrRegion r : rs) {
            out.put(r.key(), r);
        }
        return out;
    }

    static List<String> keys(List<LabelOrRegion> rs) {
        return new ArrayList<>(byKey(rs).keySet());
    }
}
