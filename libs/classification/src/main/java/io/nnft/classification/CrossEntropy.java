package io.nnft.classification;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

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
}
