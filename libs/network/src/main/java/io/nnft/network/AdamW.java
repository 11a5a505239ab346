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
 * torch.optim.AdamW (amsgrad off), per parameter with a gradient, in PyTorch's order of operations:
 * <pre>
 *   t += 1
 *   p   = p · (1 − lr·wd)                    (decoupled weight decay)
 *   m   = lerp(m, g, 1 − β1)
 *   v   = β2·v + (1 − β2)·g²
 *   p   = p − lr / (1 − β1^t) · m / (√v / √(1 − β2^t) + ε)
 * </pre>
 * Frozen parameters (no gradient) keep their values and state untouched.
 */
public final class AdamW implements Optimizer {
    public static final String STEP = "step";
    public static final String EXP_AVG = "exp_avg";
    public static final String EXP_AVG_SQ = "exp_avg_sq";
    private final NDManager stateManager;
    private final List<ParamGroup> groups;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final Map<String, State> states = new LinkedHashMap<>();

    private static final class State {
        long step;
        NDArray expAvg;
        NDArray expAvgSq;
    }

    /** @param stateManager owns the moment estimates (they outlive every step) */
    public AdamW(NDManager stateManager, List<ParamGroup> groups, double beta1, double beta2, double eps,
                 double weightDecay) {
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("AdamW needs at least one parameter group");
        }
        this.stateManager = stateManager;
        this.groups = List.copyOf(groups);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    @Override
    public List<ParamGroup> groups() {
        return groups;
    }

    @Override
    public void update(String key, NDArray param, NDArray g, double lr) {
        State s = states.computeIfAbsent(key, k -> fresh(param));
        s.step++;
        if (weightDecay != 0) {
            param.muli((float) (1 - lr * weightDecay));
        }
        s.expAvg.addi(g.sub(s.expAvg).muli((float) (1 - beta1)));
        s.expAvgSq.muli((float) beta2).addi(g.mul(g).muli((float) (1 - beta2)));
        double bc1 = 1 - Math.pow(beta1, s.step);
        double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, s.step));
        NDArray denom = s.expAvgSq.sqrt().divi((float) bc2Sqrt).addi((float) eps);
        param.subi(s.expAvg.div(denom).muli((float) (lr / bc1)));
    }

    private State fresh(NDArray param) {
        State s = new State();
        s.expAvg = detached(param.zerosLike());
        s.expAvgSq = detached(param.zerosLike());
        return s;
    }

    private NDArray detached(NDArray a) {
        NDScope.unregister(a);
        a.attach(stateManager);
        return a;
    }

    @Override
    public OptimizerState state(List<NamedParameter> parameters) {
        LinkedHashMap<Integer, Map<String, Object>> st = new LinkedHashMap<>();
        for (int i = 0; i < parameters.size(); i++) {
            State s = states.get(parameters.get(i).key());
            if (s != null) {
                Map<String, Object> entry = new LinkedHashMap<>();
                // torch keeps step as a tensor; a float is what load_state_dict also accepts (and converts)
                entry.put(STEP, (double) s.step);
                entry.put(EXP_AVG, Networks.toNdArray(s.expAvg));
                entry.put(EXP_AVG_SQ, Networks.toNdArray(s.expAvgSq));
                st.put(i, entry);
            }
        }
        List<io.nnft.checkpoint.ParamGroup> written = new ArrayList<>();
        List<List<Integer>> indices = groupIndices(parameters);
        for (int gi = 0; gi < groups.size(); gi++) {
            ParamGroup g = groups.get(gi);
            LinkedHashMap<String, Object> e = new LinkedHashMap<>();
            e.put("lr", g.lr());
            e.put("betas", new Object[] {beta1, beta2});
            e.put("eps", eps);
            e.put("weight_decay", weightDecay);
            e.put("amsgrad", false);
            e.put("maximize", false);
            e.put("foreach", null);
            e.put("capturable", false);
            e.put("differentiable", false);
            e.put("fused", null);
            e.put("initial_lr", g.initialLr());
            e.put("params", new ArrayList<Object>(indices.get(gi)));
            written.add(new io.nnft.checkpoint.ParamGroup(e));
        }
        return new OptimizerState(st, written);
    }

    @Override
    public void restore(OptimizerState state, List<NamedParameter> parameters, String where) {
        states.clear();
        for (Map.Entry<Integer, Map<String, Object>> e : state.state().entrySet()) {
            int i = e.getKey();
            NamedParameter p = Optimizer.parameterAt(parameters, i, where);
            Object step = e.getValue().get(STEP);
            Object m = e.getValue().get(EXP_AVG);
            Object v = e.getValue().get(EXP_AVG_SQ);
            if (!(m instanceof NdArray mm) || !(v instanceof NdArray vv)) {
                throw new IllegalArgumentException(where + " optimizer_state index " + i + " (" + p.key()
                        + "): expected AdamW state (exp_avg, exp_avg_sq), found keys " + e.getValue().keySet());
            }
            long[] expected = p.parameter().getShape().getShape();
            for (NdArray a : List.of(mm, vv)) {
                if (!Arrays.equals(expected, a.shape())) {
                    throw new IllegalArgumentException(where + " optimizer_state index " + i + " (" + p.key()
                            + "): expected shape " + Arrays.toString(expected) + ", found " + Arrays.toString(a.shape()));
                }
            }
            State s = new State();
            s.step = step instanceof NdArray t ? (long) t.toFloats()[0] : ((Number) step).longValue();
            s.expAvg = Networks.toNDArray(stateManager, mm);
            s.expAvgSq = Networks.toNDArray(stateManager, vv);
            states.put(p.key(), s);
        }
    }
}
