package io.nnft.network;

import ai.djl.ndarray.NDArray;

/**
 * nnU-Net's DeepSupervisionWrapper around DC_and_CE_loss: Σ weight_i · loss(output_i, target_i) over the
 * outputs with non-zero weight. Zero-weighted outputs are never evaluated ({@link #wantedOutputs()} tells
 * the network not to compute them), so their seg layers get no gradient, as in nnU-Net.
 */
public final class DeepSupervisionLoss {
    private final DiceCeLoss loss;
    private final double[] weights;

    public DeepSupervisionLoss(DiceCeLoss loss, double[] weights) {
        this.loss = loss;
        this.weights = weights.clone();
    }

    /** nnU-Net's default for a network with {@code numOutputs} deep-supervision outputs. */
    public static DeepSupervisionLoss nnUNetDefault(int numOutputs, boolean batchDice, Integer ignoreLabel) {
        return new DeepSupervisionLoss(DiceCeLoss.nnUNetDefault(batchDice, ignoreLabel),
                DeepSupervision.weights(numOutputs));
    }

    public double[] weights() {
        return weights.clone();
    }

    public boolean[] wantedOutputs() {
        boolean[] w = new boolean[weights.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = weights[i] != 0.0;
        }
        return w;
    }

    public DiceCeLoss inner() {
        return loss;
    }

    /** @param outputs full resolution first; entries of zero-weighted outputs may be null */
    public NDArray loss(NDArray[] outputs, NDArray[] targets) {
        if (outputs.length != weights.length || targets.length != weights.length) {
            throw new IllegalArgumentException("deep supervision: expected " + weights.length
                    + " outputs and targets, found " + outputs.length + " and " + targets.length);
        }
        NDArray total = null;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] == 0.0) {
                continue;
            }
            if (outputs[i] == null) {
                throw new IllegalArgumentException("deep supervision output " + i + " has weight " + weights[i]
                        + " but was not computed");
            }
            NDArray term = loss.loss(outputs[i], targets[i]).mul((float) weights[i]);
            total = total == null ? term : total.add(term);
        }
        if (total == null) {
            throw new IllegalStateException("all deep-supervision weights are 0");
        }
        return total;
    }
}
