package io.nnft.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Which parameters train: a policy ({@code none}, {@code encoder}, {@code all-but-seg-head},
 * {@code prefixes:P1,P2}), whether InstanceNorm parameters stay trainable inside frozen parts, and a schedule
 * of unfreezing steps sorted by epoch.
 */
public record FreezeSettings(String policy, boolean keepNormTrainable, List<UnfreezeStep> schedule) {
    public static final FreezeSettings NONE = new FreezeSettings("none", false, List.of());

    public FreezeSettings {
        policy = policy == null ? "none" : policy;
        List<UnfreezeStep> sorted = new ArrayList<>(schedule == null ? List.of() : schedule);
        sorted.sort(Comparator.comparingInt(UnfreezeStep::epoch));
        schedule = List.copyOf(sorted);
    }

    /** Reads a freeze-schedule file: a JSON list of {epoch, unfreezePrefixes, lrFactor?, warmupEpochs?}. */
    public static List<UnfreezeStep> readSchedule(Path file) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        if (root != null && root.isObject() && root.has("schedule")) {
            root = root.get("schedule");
        }
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException(file + ": expected a JSON list of {\"epoch\", \"unfreezePrefixes\", "
                    + "\"lrFactor\", \"warmupEpochs\"} (or an object with 'schedule'), found "
                    + (root == null ? "nothing" : root.getNodeType()));
        }
        Set<String> allowed = Set.of("epoch", "unfreezePrefixes", "lrFactor", "warmupEpochs");
        List<UnfreezeStep> steps = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode s = root.get(i);
            String where = file + " [" + i + "]";
            if (!s.isObject()) {
                throw new IllegalArgumentException(where + ": expected an object, found " + s.getNodeType());
            }
            s.fieldNames().forEachRemaining(k -> {
                if (!allowed.contains(k)) {
                    throw new IllegalArgumentException(where + ": unknown field '" + k + "', expected one of " + allowed);
                }
            });
            if (!s.path("epoch").isInt()) {
                throw new IllegalArgumentException(where + ".epoch: expected an integer, found " + s.get("epoch"));
            }
            JsonNode pf = s.get("unfreezePrefixes");
            if (pf == null || !pf.isArray()) {
                throw new IllegalArgumentException(where + ".unfreezePrefixes: expected a list of strings, found " + pf);
            }
            List<String> prefixes = new ArrayList<>();
            pf.forEach(p -> prefixes.add(p.asText()));
            try {
                steps.add(new UnfreezeStep(s.get("epoch").asInt(), prefixes, s.path("lrFactor").asDouble(1.0),
                        s.path("warmupEpochs").asInt(0)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
        }
        return steps;
    }

    /** The LR factor at an epoch: the last applied step's factor, ramped linearly during its warm-up. */
    public double lrFactor(int epoch) {
        double factor = 1;
        for (UnfreezeStep s : schedule) {
            if (s.epoch() <= epoch) {
                factor = s.lrFactor();
                int into = epoch - s.epoch();
                if (into < s.warmupEpochs()) {
                    factor *= (into + 1.0) / (s.warmupEpochs() + 1.0);
                }
            }
        }
        return factor;
    }
}
