package io.nnft.training;

import java.util.List;

/**
 * One step of a freeze schedule (FineTuneRequested's {@code freeze.schedule[]}): at the start of {@code epoch},
 * unfreeze the parameters whose state-dict key starts with one of the prefixes ("" = everything); from then on
 * the LR is the poly schedule × {@code lrFactor}, reached linearly over {@code warmupEpochs} epochs.
 */
public record UnfreezeStep(int epoch, List<String> unfreezePrefixes, double lrFactor, int warmupEpochs) {
    public UnfreezeStep {
        if (epoch < 0 || unfreezePrefixes == null || unfreezePrefixes.isEmpty() || !(lrFactor > 0) || warmupEpochs < 0) {
            throw new IllegalArgumentException("freeze schedule step: expected epoch >= 0, at least one prefix, lrFactor > 0, "
                    + "warmupEpochs >= 0; found epoch " + epoch + ", prefixes " + unfreezePrefixes + ", lrFactor "
                    + lrFactor + ", warmupEpochs " + warmupEpochs);
        }
        unfreezePrefixes = List.copyOf(unfreezePrefixes);
    }
}
