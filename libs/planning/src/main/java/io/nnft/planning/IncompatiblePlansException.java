package io.nnft.planning;

import java.util.stream.Collectors;

/** A pretrained model cannot be fine-tuned on the downstream dataset; the message lists every mismatch. */
public class IncompatiblePlansException extends PlansException {
    private final CompatibilityReport report;

    public IncompatiblePlansException(CompatibilityReport report) {
        super("pretrained plans of " + report.pretrainedDataset() + " (" + report.configuration()
                + ") are incompatible with " + report.downstreamDataset() + ": "
                + report.mismatches().stream().map(Finding::toString).collect(Collectors.joining("; ")));
        this.report = report;
    }

    public CompatibilityReport report() {
        return report;
    }
}
