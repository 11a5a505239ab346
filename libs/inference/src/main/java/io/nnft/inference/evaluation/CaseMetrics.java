package io.nnft.inference.evaluation;

import io.nnft.inference.LabelOrRegion;

import java.util.Map;

/**
 * One entry of summary.json's {@code metric_per_case}: the files compared and, per label or region
 * (in evaluation order), the confusion counts.
 */
public record CaseMetrics(String referenceFile, String predictionFile, Map<LabelOrRegion, ConfusionCounts> metrics) {
}
