package io.nnft.classification;

import ai.djl.ndarray.NDArray;
import io.nnft.checkpoint.OptimizerState;
import io.nnft.network.NamedParameter;
import io.nnft.network.ParamGroup;

import java.util.List;
import java.util.Map;

/**
 * The classifier's optimizer: AdamW or nnU-Net's Nesterov SGD over parameter groups (encoder, head) with their
 * own learning rates. Parameters without a gradient (frozen) are skipped entirely, as PyTorch skips
 * {@code p.grad is None}. The state round-trips through a torch optimizer state_dict (parameter index = position
 * in named_parameters() order).
 */
public interface ClassifierOptimizer {
    List<ParamGroup> groups();

    /** One update; {@code gradients} holds only parameters that have one. */
    void step(Map<String, NamedParameter> parameters, Map<String, NDArray> gradients);

    /** torch's optimizer.state_dict() for the parameters in this order. */
    OptimizerState state(List<NamedParameter> parameters);

    /** Restores {@link #state}; shapes are checked, {@code where} names the source in errors. */
    void restore(OptimizerState state, List<NamedParameter> parameters, String where);

    /** The first group containing the key. */
    default ParamGroup groupOf(String key) {
        for (ParamGroup g : groups()) {
            if (g.contains(key)) {
                return g;
            }
        }
        throw new IllegalArgumentException("parameter " + key + " belongs to no optimizer group");
    }
}
