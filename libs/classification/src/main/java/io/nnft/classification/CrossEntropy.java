package io.nnft.classification;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.nnft.network.TrainStep;

/**
 * torch.nn.CrossEntropyLoss(weight=w) on (N, classes) logits: Σ w[yᵢ]·(−log softmax(xᵢ)[yᵢ]) / Σ w[yᵢ]
 * (without weights the plain mean).
 */
public final class CrossEntropy {
    private final float[] classWeights;

    /** @param classWeights one weight per class, or null */
    public CrossEntropy(double[] classWeights, int classes) {
        if (classWeights != null && classWeights.length != classes) {
            throw new IllegalArgumentException("class weights: expected " + classes + " (one per class), found "
                    + classWeights.length);
        }
        if (classWeights == null) {
            this.classWeights = null;
        } else {
            this.classWeights = new float[classes];
            for (int c = 0; c < classes; c++) {
                this.classWeights[c] = (float) classWeights[c];
            }
        }
    }

    public NDArray loss(NDArray logits, int[] labels, NDManager manager) {
        int n = labels.length;
        int classes = (int) logits.getShape().get(1);
        float[] pick = new float[n * classes];
        float total = 0;
        for (int i = 0; i < n; i++) {
            float w = classWeights == null ? 1f : classWeights[labels[i]];
            pick[i * classes + labels[i]] = w;
            total += w;
        }
        if (!(total > 0)) {
            throw new IllegalArgumentException("cross-entropy: the batch's class weights sum to " + total
                    + " (every case of the batch has weight 0)");
        }
        NDArray weighted = manager.create(pick, new Shape(n, classes));
        return logits.logSoftmax(1).mul(weighted).sum().neg().div(total);
    }

    /** The loss of given probabilities (validation), weighted like training: the mean over the cases. */
    public static double ofProbabilities(double[][] probabilities, int[] labels, double[] classWeights) {
        double sum = 0;
        double total = 0;
        for (int i = 0; i < labels.length; i++) {
            double w = classWeights == null ? 1 : classWeights[labels[i]];
            sum += -w * Math.log(Math.max(probabilities[i][labels[i]], 1e-12));
            total += w;
        }
        return total > 0 ? sum / total : Double.NaN;
    }

    /** The classifier's training objective: cross-entropy of the logits against the batch's labels. */
    public TrainStep.Objective objective(ClassifierNetwork net) {
        return (store, input, targets, manager) -> loss(net.logits(store, input, true), targets[0].toInts(), manager);
    }
}
