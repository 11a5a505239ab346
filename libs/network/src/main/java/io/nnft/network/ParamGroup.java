package io.nnft.network;

import io.nnft.checkpoint.ModelFolder;

import java.util.function.Predicate;

/**
 * A torch.optim parameter group: the parameters whose key matches, with their own learning rate (e.g. a
 * smaller one for a pretrained encoder). The poly schedule scales each group's initial LR.
 */
public final class ParamGroup {
    private final String name;
    private final Predicate<String> members;
    private final double initialLr;
    private double lr;

    public ParamGroup(String name, Predicate<String> members, double initialLr) {
        this.name = name;
        this.members = members;
        this.initialLr = initialLr;
        this.lr = initialLr;
    }

    /** Everything in one group, nnU-Net's default. */
    public static ParamGroup all(double lr) {
        return new ParamGroup("all", k -> true, lr);
    }

    /** Keys starting with {@code encoder.}. */
    public static ParamGroup encoder(double lr) {
        return new ParamGroup("encoder", k -> k.startsWith(ModelFolder.ENCODER_PREFIX), lr);
    }

    public String name() {
        return name;
    }

    public boolean contains(String key) {
        return members.test(key);
    }

    public double initialLr() {
        return initialLr;
    }

    public double lr() {
        return lr;
    }

    public void setLr(double lr) {
        this.lr = lr;
    }
}
