package io.nnft.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * nnU-Net's RobustCrossEntropyLoss (torch.nn.CrossEntropyLoss on target[:, 0]): mean over the voxels that
 * count of −log softmax(logits)[label]. Ignored voxels (mask 0) are excluded from sum and count, like
 * ignore_index.
 */
public final class RobustCrossEntropyLoss {

    /**
     * @param logits (N, C, spatial…)
     * @param target (N, 1, spatial…) integer labels
     * @param mask   (N, 1, spatial…) 1 for voxels that count, or null for all
     */
    public NDArray loss(NDArray logits, NDArray target, NDArray mask) {
        long c = logits.getShape().get(1);
        NDArray logp = logits.logSoftmax(1);
        NDArray picked = null;
        for (int k = 0; k < c; k++) {
            NDArray term = logp.get(new ai.djl.ndarray.index.NDIndex(":, {}:{}", k, k + 1))
                    .mul(target.eq(k).toType(DataType.FLOAT32, false));
            picked = picked == null ? term : picked.add(term);
        }
        if (mask == null) {
            return picked.sum().neg().div(picked.size());
        }
        return picked.mul(mask).sum().neg().div(mask.sum());
    }
}
