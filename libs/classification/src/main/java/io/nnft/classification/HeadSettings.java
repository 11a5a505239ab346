package io.nnft.classification;

import java.util.List;

/**
 * The classification head (FineTuneRequested's {@code classification.head}): global pooling of the bottleneck
 * and of the encoder stages listed in {@code skips} (concatenated, bottleneck first), then per linear layer
 * dropout → linear, with ReLU between layers. {@code hiddenUnits} empty = one linear layer.
 */
public record HeadSettings(Pooling pooling, List<Integer> skips, double dropout, List<Integer> hiddenUnits) {
    public static final HeadSettings DEFAULT = new HeadSettings(Pooling.AVG, List.of(), 0, List.of());

    /** Global pooling over the spatial axes. */
    public enum Pooling {
        AVG("avg"), MAX("max");

        private final String jsonName;

        Pooling(String jsonName) {
            this.jsonName = jsonName;
        }

        public String jsonName() {
            return jsonName;
        }

        public static Pooling parse(String s) {
            for (Pooling p : values()) {
                if (p.jsonName.equalsIgnoreCase(s)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("head pooling: expected avg or max, found '" + s + "'");
        }
    }

    public HeadSettings {
        pooling = pooling == null ? Pooling.AVG : pooling;
        skips = skips == null ? List.of() : List.copyOf(skips);
        hiddenUnits = hiddenUnits == null ? List.of() : List.copyOf(hiddenUnits);
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("head dropout: expected 0 <= p < 1, found " + dropout);
        }
        if (skips.stream().distinct().count() != skips.size() || skips.stream().anyMatch(s -> s < 0)) {
            throw new IllegalArgumentException("head skips: expected distinct stage indices >= 0, found " + skips);
        }
        if (hiddenUnits.stream().anyMatch(u -> u < 1)) {
            throw new IllegalArgumentException("head hiddenUnits: expected widths >= 1, found " + hiddenUnits);
        }
    }
}
