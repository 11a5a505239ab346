package io.nnft.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

import java.util.Collection;

/**
 * torch.nn.utils.clip_grad_norm_: total = ‖(‖g₁‖₂, …, ‖gₙ‖₂)‖₂ over the gradients that exist;
 * every gradient is multiplied in place by min(max_norm / (total + 1e-6), 1). (DJL's clipGrad clamps
 * elementwise, which is a different operation.)
 */
public final class GradientClipping {
    private GradientClipping() {
    }

    /** @return the total norm before clipping */
    public static float clipGradNorm(Collection<NDArray> gradients, double maxNorm) {
        if (gradients.isEmpty()) {
            return 0f;
        }
        NDList norms = new NDList(gradients.size());
        for (NDArray g : gradients) {
            norms.add(g.norm());
        }
        NDArray total = NDArrays.stack(norms).norm();
        NDArray coef = total.add(1e-6f).pow(-1).mul((float) maxNorm).minimum(1f);
        for (NDArray g : gradients) {
            g.muli(coef);
        }
        return total.getFloat();
    }
}
