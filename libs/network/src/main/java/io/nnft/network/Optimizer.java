package io.nnft.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.jni.JniUtils;
import io.nnft.checkpoint.OptimizerState;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a train step needs from an optimizer ({@link NesterovSgd}, {@link AdamW}): parameter groups with their own
 * learning rates, one update, and the state a checkpoint carries. Parameters without a gradient (frozen, or
 * unused such as nnU-Net's zero-weighted deep-supervision head) are skipped entirely, as PyTorch skips
 * {@code p.grad is None}. The state round-trips through a torch optimizer state_dict, parameter index = position in
 * named_parameters() order (nnU-Net builds its optimizer from {@code network.parameters()}).
 */
public interface Optimizer {
    List<ParamGroup> groups();

    /**
     * One update; {@code gradients} holds only parameters that have one, keyed by state-dict key. Runs with autograd
     * off on the calling thread (grad mode is thread-local in libtorch); temporaries live in a scope closed at the end.
     */
    default void step(Map<String, NamedParameter> parameters, Map<String, NDArray> gradients) {
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            for (Map.Entry<String, NDArray> e : gradients.entrySet()) {
                NamedParameter p = parameters.get(e.getKey());
                if (p == null) {
                    throw new IllegalArgumentException("gradient for unknown parameter " + e.getKey());
                }
                update(e.getKey(), p.parameter().getArray(), e.getValue(), groupOf(e.getKey()).lr());
            }
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    /** The optimizer's rule for one parameter, in place, inside {@link #step}'s scope with autograd off. */
    void update(String key, NDArray param, NDArray gradient, double lr);

    /** torch's optimizer.state_dict() for the parameters in this order. */
    OptimizerState state(List<NamedParameter> parameters);

    /** Restores {@link #state}; shapes are checked, {@code where} names the source in errors. */
    void restore(OptimizerState state, List<NamedParameter> parameters, String where);

    /** The first group that contains the key (torch requires disjoint groups; first-match makes order the tiebreak). */
    default ParamGroup groupOf(String key) {
        for (ParamGroup g : groups()) {
            if (g.contains(key)) {
                return g;
            }
        }
        List<String> names = new ArrayList<>();
        groups().forEach(g -> names.add(g.name()));
        throw new IllegalArgumentException("parameter " + key + " belongs to none of the groups " + names);
    }

    /** Indices (named_parameters() order) of the parameters in each group, as torch's param_groups list them. */
    default List<List<Integer>> groupIndices(List<NamedParameter> parameters) {
        List<List<Integer>> out = new ArrayList<>();
        for (ParamGroup g : groups()) {
            List<Integer> indices = new ArrayList<>();
            for (int i = 0; i < parameters.size(); i++) {
                if (groupOf(parameters.get(i).key()) == g) {
                    indices.add(i);
                }
            }
            out.add(indices);
        }
        return out;
    }

    /** Checks a state index against the parameter count. */
    static NamedParameter parameterAt(List<NamedParameter> parameters, int index, String where) {
        if (index < 0 || index >= parameters.size()) {
            throw new IllegalArgumentException(where + " optimizer_state: state for parameter index " + index
                    + ", but the network has " + parameters.size() + " parameters");
        }
        return parameters.get(index);
    }
}
