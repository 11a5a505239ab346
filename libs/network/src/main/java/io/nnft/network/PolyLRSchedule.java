package io.nnft.network;

import java.util.List;

/** nnU-Net's PolyLRScheduler: lr = initial · (1 − epoch / max_epochs)^0.9, applied to every group. */
public final class PolyLRSchedule {
    public static final double EXPONENT = 0.9;
    private final int maxEpochs;

    public PolyLRSchedule(int maxEpochs) {
        if (maxEpochs < 1) {
            throw new IllegalArgumentException("poly LR: max epochs must be >= 1, found " + maxEpochs);
        }
        this.maxEpochs = maxEpochs;
    }

    public static double lr(double initialLr, int epoch, int maxEpochs) {
        return initialLr * Math.pow(1 - (double) epoch / maxEpochs, EXPONENT);
    }

    /** nnU-Net calls this at the start of every epoch. */
    public void step(List<ParamGroup> groups, int epoch) {
        for (ParamGroup g : groups) {
            g.setLr(lr(g.initialLr(), epoch, maxEpochs));
        }
    }
}
