package io.nnft.checkpoint;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code param_groups} entry of a torch optimizer state_dict: hyper-parameters plus the indices of
 * its parameters. All entries are kept in their order (torch versions add keys such as
 * {@code maximize}, {@code foreach}, {@code differentiable}, nnU-Net's scheduler {@code initial_lr}).
 */
public final class ParamGroup {
    private final LinkedHashMap<String, Object> entries;

    public ParamGroup(Map<String, Object> entries) {
        this.entries = new LinkedHashMap<>(entries);
        if (!(this.entries.get("params") instanceof List)) {
            throw new IllegalArgumentException("optimizer param_group needs a 'params' list, found "
                    + PyValues.typeName(this.entries.get("params")));
        }
    }

    /**
     * The group nnU-Net's SGD writes with torch 1.13 (same keys, order and types as the fixture):
     * lr, momentum, dampening = 0 (int), weight_decay, nesterov, maximize = False, foreach = None,
     * differentiable = False, initial_lr = lr, params.
     */
    public static ParamGroup sgd(double lr, double momentum, double weightDecay, boolean nesterov, double initialLr,
            List<Integer> params) {
        LinkedHashMap<String, Object> e = new LinkedHashMap<>();
        e.put("lr", lr);
        e.put("momentum", momentum);
        e.put("dampening", 0);
        e.put("weight_decay", weightDecay);
        e.put("nesterov", nesterov);
        e.put("maximize", false);
        e.put("foreach", null);
        e.put("differentiable", false);
        e.put("initial_lr", initialLr);
        e.put("params", new ArrayList<Object>(params));
        return new ParamGroup(e);
    }

    public double lr() {
        return PyValues.asDouble(entries.get("lr"), "param_group.lr");
    }

    public double momentum() {
        return PyValues.asDouble(entries.get("momentum"), "param_group.momentum");
    }

    public double dampening() {
        return PyValues.asDouble(entries.get("dampening"), "param_group.dampening");
    }

    public double weightDecay() {
        return PyValues.asDouble(entries.get("weight_decay"), "param_group.weight_decay");
    }

    public boolean nesterov() {
        return Boolean.TRUE.equals(entries.get("nesterov"));
    }

    /** Indices into the optimizer's flat parameter list (nnU-Net: the canonical state_dict order). */
    public List<Integer> params() {
        List<Integer> out = new ArrayList<>();
        for (Object o : (List<?>) entries.get("params")) {
            out.add(PyValues.asInt(o, "param_group.params"));
        }
        return out;
    }

    public Object get(String key) {
        return entries.get(key);
    }

    /** A copy with {@code key} set, e.g. a new {@code lr}. */
    public ParamGroup with(String key, Object value) {
        LinkedHashMap<String, Object> e = new LinkedHashMap<>(entries);
        e.put(key, value);
        return new ParamGroup(e);
    }

    public Map<String, Object> entries() {
        return Collections.unmodifiableMap(entries);
    }

    Map<Object, Object> toPickle() {
        return new LinkedHashMap<>(entries);
    }

    @Override
    public String toString() {
        return entries.toString();
    }
}
