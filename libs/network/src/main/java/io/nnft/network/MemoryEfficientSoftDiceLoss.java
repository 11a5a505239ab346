package io.nnft.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

/**
 * nnU-Net's MemoryEfficientSoftDiceLoss with its trainer's settings: softmax over channels, background
 * dropped (do_bg=False), sums over the spatial axes per sample and class (then over the batch as well when
 * batch_dice), dice = (2·I + smooth) / max(G + P + smooth, 1e-8), loss = −mean(dice).
 */
public final class MemoryEfficientSoftDiceLoss {
    private final boolean batchDice;
    private final double smooth;

    public MemoryEfficientSoftDiceLoss(boolean batchDice, double smooth) {
        this.batchDice = batchDice;
        this.smooth = smooth;
    }

    /**
     * @param logits (N, C, spatial…)
     * @param target (N, 1, spatial…) integer labels (ignored voxels may hold any label; they are masked)
     * @param mask   (N, 1, spatial…) 1 for voxels that count, or null
     */
    public NDArray loss(NDArray logits, NDArray target, NDArray mask) {
        long n = logits.getShape().get(0);
        long c = logits.getShape().get(1);
        if (c < 2) {
            throw new IllegalArgumentException("soft dice without background needs >= 2 classes, found logits "
                    + logits.getShape());
        }
        NDArray probs = logits.softmax(1).get(new NDIndex(":, 1:"));
        NDArray onehot = foregroundOneHot(target, c);
        if (mask != null) {
            onehot = onehot.mul(mask);
            probs = probs.mul(mask);
        }
        // "mean over several axes is unsupported" in DJL's PyTorch engine: flatten space, sum one axis.
        NDArray intersect = probs.mul(onehot).reshape(n, c - 1, -1).sum(new int[] {2});
        NDArray sumPred = probs.reshape(n, c - 1, -1).sum(new int[] {2});
        NDArray sumGt = onehot.reshape(n, c - 1, -1).sum(new int[] {2});
        if (batchDice) {
            intersect = intersect.sum(new int[] {0});
            sumPred = sumPred.sum(new int[] {0});
            sumGt = sumGt.sum(new int[] {0});
        }
        NDArray dice = intersect.mul(2).add(smooth).div(sumGt.add(sumPred).add(smooth).maximum(1e-8f));
        return dice.mean().neg();
    }

    /** (N, C-1, spatial…) float one-hot of the labels 1..C-1; computed without gradient (it is a target). */
    static NDArray foregroundOneHot(NDArray target, long numClasses) {
        NDList planes = new NDList((int) numClasses - 1);
        for (int k = 1; k < numClasses; k++) {
            planes.add(target.eq(k).toType(DataType.FLOAT32, false));
        }
        return planes.size() == 1 ? planes.get(0) : NDArrays.concat(planes, 1);
    }
}
