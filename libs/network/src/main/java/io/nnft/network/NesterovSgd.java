package io.nnft.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.nnft.checkpoint.OptimizerState;
import io.nnft.imageio.NdArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * torch.optim.SGD exactly as nnU-Net configures it (momentum 0.99, dampening 0, Nesterov, weight decay
 * 3e-5), per parameter with a gradient:
 * <pre>
 *   d = g + wd·p
 *   buf = d (first step) | momentum·buf + d
 *   d = d + momentum·buf   (Nesterov)
 *   p = p − lr·d
 * </pre>
 * Parameters without a gradient (frozen, or unused such as the zero-weighted deep-supervision head) are
 * skipped entirely — no weight decay, no momentum — as PyTorch skips {@code p.grad is None}. DJL's Sgd is
 * MXNet-style and would move them.
 */
public final class NesterovSgd implements Optimizer {
    private final List<ParamGroup> groups;
    private final double momentum;
    private final double weightDecay;
    private final NDManager stateManager;
    private final Map<String, NDArray> momentumBuffers = new LinkedHashMap<>();

    /** @param stateManager owns the momentum buffers (they outlive every step) */
    public NesterovSgd(NDManager stateManager, List<ParamGroup> groups, double momentum, double weightDecay) {
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("SGD needs at least one parameter group");
        }
        this.stateManager = stateManager;
        this.groups = List.copyOf(groups);
        this.momentum = momentum;
        this.weightDecay = weightDecay;
    }

    /** nnUNetTrainer.configure_optimizers: SGD(lr, weight_decay 3e-5, momentum 0.99, nesterov). */
    public static NesterovSgd nnUNetDefault(NDManager stateManager, List<ParamGroup> groups) {
        return new NesterovSgd(stateManager, groups, 0.99, 3e-5);
    }

    @Override
    public List<ParamGroup> groups() {
        return groups;
    }

    @Override
    public void update(String key, NDArray param, NDArray gradient, double lr) {
        // Same values as torch (IEEE addition commutes); in-place on fresh temporaries saves allocations.
        NDArray d = weightDecay != 0 ? param.mul((float) weightDecay).addi(gradient) : gradient;
        NDArray buf = momentumBuffers.get(key);
        if (buf == null) {
            buf = d.duplicate();
            NDScope.unregister(buf);
            buf.attach(stateManager);
            momentumBuffers.put(key, buf);
        } else {
            buf.muli((float) momentum).addi(d);
        }
        NDArray update = buf.mul((float) momentum).addi(d);
        param.subi(update.muli((float) lr));
    }

    /** Momentum buffers by key (only for parameters that have had a gradient), e.g. for checkpoints. */
    public Map<String, NdArray> exportMomentumBuffers() {
        Map<String, NdArray> out = new LinkedHashMap<>();
        momentumBuffers.forEach((k, v) -> out.put(k, StateDict.toNdArray(v)));
        return out;
    }

    /** Restores a momentum buffer (nnU-Net's optimizer_state), shape-checked against the parameter. */
    public void setMomentumBuffer(NamedParameter p, NdArray buffer) {
        long[] expected = p.parameter().getShape().getShape();
        if (!Arrays.equals(expected, buffer.shape())) {
            throw new IllegalArgumentException("momentum buffer of " + p.key() + ": expected shape "
                    + Arrays.toString(expected) + ", found " + Arrays.toString(buffer.shape()));
        }
        NDArray old = momentumBuffers.put(p.key(), Networks.toNDArray(stateManager, buffer));
        if (old != null) {
            old.close();
        }
    }

    /** nnU-Net's optimizer_state: a momentum buffer per parameter index that has one; param_groups as torch writes. */
    @Override
    public OptimizerState state(List<NamedParameter> parameters) {
        LinkedHashMap<Integer, NdArray> buffers = new LinkedHashMap<>();
        for (int i = 0; i < parameters.size(); i++) {
            NDArray b = momentumBuffers.get(parameters.get(i).key());
            if (b != null) {
                buffers.put(i, StateDict.toNdArray(b));
            }
        }
        List<io.nnft.checkpoint.ParamGroup> written = new ArrayList<>();
        List<List<Integer>> indices = groupIndices(parameters);
        for (int g = 0; g < groups.size(); g++) {
            written.add(io.nnft.checkpoint.ParamGroup.sgd(groups.get(g).lr(), momentum, weightDecay, true,
                    groups.get(g).initialLr(), indices.get(g)));
        }
        return OptimizerState.sgd(buffers, written);
    }

    /** Loads optimizer_state's momentum buffers; parameters without one start fresh, as in torch. */
    @Override
    public void restore(OptimizerState state, List<NamedParameter> parameters, String where) {
        momentumBuffers.values().forEach(NDArray::close);
        momentumBuffers.clear();
        for (Map.Entry<Integer, NdArray> e : state.momentumBuffers().entrySet()) {
            NamedParameter p = Optimizer.parameterAt(parameters, e.getKey(), where);
            try {
                setMomentumBuffer(p, e.getValue());
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(where + " optimizer_state index " + e.getKey() + ": " + ex.getMessage(),
                        ex);
            }
        }
    }
}
