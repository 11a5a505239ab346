package io.nnft.events;

import java.util.ArrayList;
import java.util.List;

/**
 * Rules on a {@link FineTuneRequested} that JSON Schema cannot state (they compare fields with each
 * other). Checked wherever the schema is, so the gateway refuses such a request before a job starts.
 */
final class RequestRules {

    private RequestRules() {}

    /** Problems with pointers relative to the request (prefixed with {@code prefix}). */
    static List<Problem> check(FineTuneRequested request, String prefix) {
        List<Problem> problems = new ArrayList<>();
        FineTuneRequested r = request.withDefaults();
        int epochs = r.budget().epochs() == null ? FineTuneRequested.Budget.DEFAULT.epochs() : r.budget().epochs();
        FineTuneRequested.Freeze freeze = r.freeze();
        if (freeze.policy() != FineTuneRequested.Freeze.Policy.PREFIXES && !freeze.prefixes().isEmpty()) {
            problems.add(new Problem(prefix + "/freeze/prefixes",
                    "no prefixes unless policy is \"prefixes\" (policy is \"" + json(freeze.policy()) + "\")",
                    "array of " + freeze.prefixes().size()));
        }
        int previous = -1;
        List<FineTuneRequested.UnfreezeStep> schedule = freeze.schedule();
        for (int i = 0; i < schedule.size(); i++) {
            Integer step = schedule.get(i).epoch();
            if (step == null) {
                continue; // the schema reports the missing epoch
            }
            int epoch = step;
            String where = prefix + "/freeze/schedule/" + i + "/epoch";
            if (epoch <= previous) {
                problems.add(new Problem(where, "an epoch after the previous step's " + previous, "integer " + epoch));
            }
            if (epoch >= epochs) {
                problems.add(new Problem(where, "an epoch below budget.epochs (" + epochs + ")", "integer " + epoch));
            }
            previous = epoch;
        }
        FineTuneRequested.Classification c = r.classification();
        if (r.task() == Task.CLASSIFICATION && c != null && c.classWeights() != null && c.classWeights().size() < 2) {
            problems.add(new Problem(prefix + "/classification/classWeights", "one weight per class (at least 2)",
                    "array of " + c.classWeights().size()));
        }
        return problems;
    }

    private static String json(Enum<?> value) {
        return EventJson.mapper().valueToTree(value).asText();
    }
}
