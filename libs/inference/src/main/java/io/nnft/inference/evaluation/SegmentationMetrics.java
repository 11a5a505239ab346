package io.nnft.inference.evaluation;

import io.nnft.inference.LabelOrRegion;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * nnU-Net's compute_metrics on two label maps already in memory: per label or region, the voxels of
 * the reference and the prediction that belong to it are compared; voxels whose reference is the ignore
 * label count nowhere.
 */
public final class SegmentationMetrics {
    private SegmentationMetrics() {
    }

    /**
     * @param ignoreLabel null when the dataset has no ignore label
     */
    public static Map<LabelOrRegion, ConfusionCounts> compute(int[] reference, int[] prediction,
                                                             List<LabelOrRegion> labelsOrRegions, Integer ignoreLabel) {
        if (reference.length != prediction.length) {
            throw new IllegalArgumentException("reference has " + reference.length + " voxels, prediction "
                    + prediction.length + ": they must have the same shape");
        }
        Map<LabelOrRegion, ConfusionCounts> out = new LinkedHashMap<>();
        for (LabelOrRegion r : labelsOrRegions) {
            long tp = 0;
            long fp = 0;
            long fn = 0;
            long tn = 0;
            for (int i = 0; i < reference.length; i++) {
                int ref = reference[i];
                if (ignoreLabel != null && ref == ignoreLabel) {
                    continue;
                }
                boolean inRef = r.contains(ref);
                boolean inPred = r.contains(prediction[i]);
                if (inRef) {
                    if (inPred) {
                        tp++;
                    } else {
                        fn++;
                    }
                } else if (inPred) {
                    fp++;
                } else {
                    tn++;
                }
            }
            out.put(r, new ConfusionCounts(tp, fp, fn, tn));
        }
        return out;
    }
}
