package io.nnft.classification;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.nnft.checkpoint.OptimizerState;
import io.nnft.imageio.NdArray;
import io.nnft.network.NamedParameter;
import io.nnft.network.NesterovSgd;
import io.nnft.network.ParamGroup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** nnU-Net's Nesterov SGD ({@link NesterovSgd}) behind the classifier's optimizer interface. */
public final class SgdOptimizer implements ClassifierOptimizer {
    private final NesterovSgd sgd;
    private final double momentum;
    private final double weightDecay;

    public SgdOptimizer(NDManager stateManager, List<ParamGroup> groups, double momentum, double weightDecay) {
        this.sgd = new NesterovSgd(stateManager, groups, momentum, weightDecay);
        this.momentum = momentum;
        this.weightDecay = weightDecay;
    }

    @Override
    public List<ParamGroup> groups() {
        return sgd.groups();
    }

    @Override
    public void step(Map<String, NamedParameter> parameters, Map<String, NDArray> gradients) {
        sgd.step(parameters, gradients);
    }

    @Override
    public OptimizerState state(List<NamedParameter> parameters) {
        Map<String, NdArray> byKey = sgd.exportMomentumBuffers();
        LinkedHashMap<Integer, NdArray> buffers = new LinkedHashMap<>();
        for (int i = 0; i < parameters.size(); i++) {
            NdArray b = byKey.get(parameters.get(i).key());
            if (b != null) {
                buffers.put(i, b);
            }
        }
        List<io.nnft.checkpoint.ParamGroup> written = new ArrayList<>();
        for (ParamGroup g : sgd.groups()) {
            List<Integer> indices = new ArrayList<>();
            for (int i = 0; i < parameters.size(); i++) {
                if (sgd.groupOf(parameters.get(i).key()) == g) {
                    indices.add(i);
                }
            }
            written.add(io.nnft.checkpoint.ParamGroup.sgd(g.lr(), momentum, weightDecay, true, g.initialLr(), indices));
        }
        return OptimizerState.sgd(buffers, written);
    }

    @Override
    public void restore(OptimizerState state, List<NamedParameter> parameters, String where) {
        sgd.resetState();
        for (Map.Entry<Integer, NdArray> e : state.momentumBuffers().entrySet()) {
            int i = e.getKey();
            if (i < 0 || i >= parameters.size()) {
                throw new IllegalArgumentException(where + " optimizer_state: momentum buffer for parameter index " + i
                        + ", but the network has " + parameters.size() + " parameters");
            }
            try {
                sgd.setMomentumBuffer(parameters.get(i), e.getValue());
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(where + " optimizer_state index " + i + ": " + ex.getMessage(), ex);
            }
        }
    }
}
