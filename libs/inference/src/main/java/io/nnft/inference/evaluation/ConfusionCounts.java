package io.nnft.inference.evaluation;

/**
 * nnU-Net's compute_tp_fp_fn_tn for one label or region of one case, and the metrics derived from it.
 * Dice and IoU are NaN when reference and prediction are both empty (tp + fp + fn == 0), as nnU-Net
 * reports them; its mean then skips the case (np.nanmean).
 */
public record ConfusionCounts(long tp, long fp, long fn, long tn) {

    public double dice() {
        long denominator = 2 * tp + fp + fn;
        return denominator == 0 ? Double.NaN : 2.0 * tp / denominator;
    }

    public double iou() {
        long denominator = tp + fp + fn;
        return denominator == 0 ? Double.NaN : (double) tp / denominator;
    }

    /** Voxels predicted as this label or region. */
    public long nPred() {
        return tp + fp;
    }

    /** Voxels of this label or region in the reference. */
    public long nRef() {
        return tp + fn;
    }
}
