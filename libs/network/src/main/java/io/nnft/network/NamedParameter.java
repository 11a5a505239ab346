package io.nnft.network;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;

/** A parameter with its nnU-Net state-dict key and the block that owns it (to tell norm parameters apart). */
public record NamedParameter(String key, Parameter parameter, Block owner) {
    public boolean isNorm() {
        return owner instanceof InstanceNorm;
    }

    public boolean trainable() {
        return parameter.requiresGradient();
    }
}
