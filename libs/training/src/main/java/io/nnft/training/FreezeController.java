package io.nnft.training;

import ai.djl.nn.Block;
import io.nnft.network.Freezing;
import io.nnft.network.NamedParameter;
import io.nnft.network.StateDict;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Applies {@link FreezeSettings} to the network for a given epoch. The frozen set is a pure function of the
 * epoch (policy, then every schedule step up to it), so a resumed run freezes exactly what an uninterrupted
 * one would. Works on any network with nnU-Net state-dict keys (the U-Net, or an encoder under a
 * classification head).
 */
public final class FreezeController {
    private final Block net;
    private final FreezeSettings settings;
    private List<String> trainable;

    public FreezeController(Block net, FreezeSettings settings) {
        this.net = net;
        this.settings = settings;
        List<String> keys = new ArrayList<>(StateDict.parameters(net).keySet());
        for (UnfreezeStep s : settings.schedule()) {
            for (String p : s.unfreezePrefixes()) {
                if (!p.isEmpty() && keys.stream().noneMatch(k -> k.startsWith(p))) {
                    throw new IllegalArgumentException("freeze schedule (epoch " + s.epoch() + "): unfreeze prefix '" + p
                            + "' matches no parameter; keys start with e.g. encoder.stages.0, decoder.stages.0, "
                            + "decoder.transpconvs.0, decoder.seg_layers.0");
                }
            }
        }
    }

    /**
     * Sets requires_grad for the epoch.
     *
     * @return true when the set of trainable parameters changed (the caller then reports it)
     */
    public boolean apply(int epoch) {
        Freezing.unfreezeAll(net);
        String policy = settings.policy();
        if (policy.equals("prefixes")) {
            throw new IllegalArgumentException("freeze policy 'prefixes' needs the prefixes: write prefixes:P1,P2");
        }
        Freezing.applySpec(net, policy, settings.keepNormTrainable());
        for (UnfreezeStep s : settings.schedule()) {
            if (s.epoch() <= epoch) {
                for (NamedParameter p : StateDict.parameters(net).values()) {
                    if (s.unfreezePrefixes().stream().anyMatch(pre -> p.key().startsWith(pre))) {
                        p.parameter().freeze(false);
                    }
                }
            }
        }
        List<String> now = new ArrayList<>();
        for (NamedParameter p : StateDict.parameters(net).values()) {
            if (p.trainable()) {
                now.add(p.key());
            }
        }
        boolean changed = trainable == null || !trainable.equals(now);
        trainable = now;
        return changed;
    }

    public List<String> trainable() {
        return trainable;
    }

    public List<String> frozen() {
        TreeSet<String> t = new TreeSet<>(trainable);
        List<String> out = new ArrayList<>();
        for (String k : StateDict.parameters(net).keySet()) {
            if (!t.contains(k)) {
                out.add(k);
            }
        }
        return out;
    }
}
