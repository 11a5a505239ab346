package io.nnft.checkpoint;

import io.nnft.imageio.NdArray;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A torch optimizer state_dict: per-parameter state keyed by the parameter's index in the optimizer
 * (SGD: {@code momentum_buffer}) and the param_groups. A parameter that never received a gradient has
 * no state entry at all (nnU-Net's zero-weighted {@code decoder.seg_layers.0}).
 */
public final class OptimizerState {
    public static final String MOMENTUM_BUFFER = "momentum_buffer";

    private final LinkedHashMap<Integer, LinkedHashMap<String, Object>> state;
    private final List<ParamGroup> paramGroups;

    public OptimizerState(Map<Integer, ? extends Map<String, Object>> state, List<ParamGroup> paramGroups) {
        this.state = new LinkedHashMap<>();
        state.forEach((k, v) -> this.state.put(k, new LinkedHashMap<>(v)));
        this.paramGroups = List.copyOf(paramGroups);
    }

    /** SGD state: one momentum buffer per parameter index that has one, in index order. */
    public static OptimizerState sgd(Map<Integer, NdArray> momentumBuffers, List<ParamGroup> paramGroups) {
        LinkedHashMap<Integer, Map<String, Object>> s = new LinkedHashMap<>();
        momentumBuffers.keySet().stream().sorted().forEach(i -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put(MOMENTUM_BUFFER, momentumBuffers.get(i));
            s.put(i, entry);
        });
        return new OptimizerState(s, paramGroups);
    }

    /** The momentum buffer of parameter {@code index}, or null when it has none. */
    public NdArray momentumBuffer(int index) {
        Map<String, Object> s = state.get(index);
        return s == null ? null : (NdArray) s.get(MOMENTUM_BUFFER);
    }

    /** Every momentum buffer by parameter index. */
    public LinkedHashMap<Integer, NdArray> momentumBuffers() {
        LinkedHashMap<Integer, NdArray> out = new LinkedHashMap<>();
        state.forEach((i, s) -> {
            if (s.get(MOMENTUM_BUFFER) instanceof NdArray t) {
                out.put(i, t);
            }
        });
        return out;
    }

    public Map<Integer, Map<String, Object>> state() {
        return Collections.unmodifiableMap(state);
    }

    public List<ParamGroup> paramGroups() {
        return paramGroups;
    }

    Map<Object, Object> toPickle() {
        Map<Object, Object> s = new LinkedHashMap<>();
        state.forEach((k, v) -> s.put(k, new LinkedHashMap<Object, Object>(v)));
        List<Object> groups = new ArrayList<>();
        paramGroups.forEach(g -> groups.add(g.toPickle()));
        Map<Object, Object> out = new LinkedHashMap<>();
        out.put("state", s);
        out.put("param_groups", groups);
        return out;
    }

    static OptimizerState fromPickle(Object o, String where) {
        if (!(o instanceof Map<?, ?> m) || !(m.get("state") instanceof Map<?, ?> st)
                || !(m.get("param_groups") instanceof List<?> groups)) {
            throw new IllegalArgumentException(where + ": optimizer_state must be a dict with 'state' (dict) and "
                    + "'param_groups' (list), found " + PyValues.typeName(o));
        }
        LinkedHashMap<Integer, Map<String, Object>> state = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : st.entrySet()) {
            int index = PyValues.asInt(e.getKey(), where + ": optimizer_state.state key");
            if (!(e.getValue() instanceof Map<?, ?> entry)) {
                throw new IllegalArgumentException(where + ": optimizer_state.state[" + index + "] must be a dict, found "
                        + PyValues.typeName(e.getValue()));
            }
            Map<String, Object> typed = new LinkedHashMap<>();
            entry.forEach((k, v) -> typed.put(String.valueOf(k), v));
            Object buf = typed.get(MOMENTUM_BUFFER);
            if (buf != null && !(buf instanceof NdArray)) {
                throw new IllegalArgumentException(where + ": optimizer_state.state[" + index
                        + "].momentum_buffer must be a tensor, found " + PyValues.typeName(buf));
            }
            state.put(index, typed);
        }
        List<ParamGroup> pg = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            if (!(groups.get(i) instanceof Map<?, ?> g)) {
                throw new IllegalArgumentException(where + ": optimizer_state.param_groups[" + i + "] must be a dict");
            }
            Map<String, Object> typed = new LinkedHashMap<>();
            g.forEach((k, v) -> typed.put(String.valueOf(k), v));
            try {
                pg.add(new ParamGroup(typed));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": optimizer_state.param_groups[" + i + "]: " + e.getMessage());
            }
        }
        return new OptimizerState(state, pg);
    }
}
