package io.nnft.network;

import ai.djl.nn.Block;
import io.nnft.checkpoint.ModelFolder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * Freezing primitives on state-dict keys. Freezing goes through DJL's {@code Parameter.freeze}, which turns
 * off requires_grad on the tensor, so libtorch computes no weight gradient for it and the optimizer skips it.
 */
public final class Freezing {
    private Freezing() {
    }

    /**
     * Freezes every parameter whose key matches; with {@code keepNormTrainable}, InstanceNorm weights and
     * biases stay trainable. Parameters that do not match are left as they are.
     *
     * @return keys frozen by this call
     */
    public static List<String> freeze(Block net, Predicate<String> keys, boolean keepNormTrainable) {
        List<String> frozen = new ArrayList<>();
        for (NamedParameter p : StateDict.parameters(net).values()) {
            if (keys.test(p.key()) && !(keepNormTrainable && p.isNorm())) {
                p.parameter().freeze(true);
                frozen.add(p.key());
            }
        }
        return frozen;
    }

    /** Freezes keys starting with any prefix; a prefix matching no key is an error (a typo would freeze nothing). */
    public static List<String> freezePrefixes(Block net, List<String> prefixes, boolean keepNormTrainable) {
        List<String> keys = new ArrayList<>(StateDict.parameters(net).keySet());
        for (String prefix : prefixes) {
            if (keys.stream().noneMatch(k -> k.startsWith(prefix))) {
                throw new IllegalArgumentException("freeze prefix '" + prefix + "' matches no parameter; keys start with "
                        + "e.g. encoder.stages.0, decoder.stages.0, decoder.transpconvs.0, decoder.seg_layers.0");
            }
        }
        return freeze(net, k -> prefixes.stream().anyMatch(k::startsWith), keepNormTrainable);
    }

    /** Makes every parameter trainable again. */
    public static void unfreezeAll(Block net) {
        for (NamedParameter p : StateDict.parameters(net).values()) {
            p.parameter().freeze(false);
        }
    }

    /**
     * The CLI's --freeze values: {@code none}, {@code encoder}, {@code all-but-seg-head} (everything except
     * {@code decoder.seg_layers}), or {@code prefixes:P1,P2}.
     */
    public static List<String> applySpec(Block net, String spec, boolean keepNormTrainable) {
        if (spec == null || spec.equals("none")) {
            return List.of();
        }
        if (spec.equals("encoder")) {
            return freezePrefixes(net, List.of(ModelFolder.ENCODER_PREFIX), keepNormTrainable);
        }
        if (spec.equals("all-but-seg-head")) {
            return freeze(net, k -> !k.startsWith("decoder.seg_layers."), keepNormTrainable);
        }
        if (spec.startsWith("prefixes:")) {
            List<String> prefixes = Arrays.stream(spec.substring("prefixes:".length()).split(","))
                    .map(String::trim).filter(s -> !s.isEmpty()).toList();
            if (prefixes.isEmpty()) {
                throw new IllegalArgumentException("--freeze prefixes: expected a comma-separated list, found '" + spec + "'");
            }
            return freezePrefixes(net, prefixes, keepNormTrainable);
        }
        throw new IllegalArgumentException("--freeze: expected none, encoder, all-but-seg-head or prefixes:P1,P2, found '"
                + spec + "'");
    }
}
