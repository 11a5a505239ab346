package io.nnft.gateway.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nnft.events.EventCodec;
import io.nnft.events.EventJson;
import io.nnft.events.FineTuneRequested;
import io.nnft.events.InvalidEventException;
import io.nnft.events.JobId;
import io.nnft.events.Problem;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The REST body of {@code POST /jobs}: a FineTuneRequested, or the same with {@code datasets: [...]}
 * instead of {@code dataset} to fine-tune one pretrained model on several downstream datasets. Each
 * dataset becomes its own FineTuneRequested with the same settings and the same {@code pretrained}
 * model, so every job starts from the same weights with the same (transferred) architecture. Job ids
 * are {@code <jobId>-1..n} when a jobId is given; otherwise each copy gets its own when it is published
 * ({@code JobId.assign}). Every problem of every copy is
 * reported at once, pointing into the body as posted ({@code /datasets/2}, not {@code /dataset}).
 */
public final class RequestFanOut {
    public static final String DATASETS = "datasets";

    private RequestFanOut() {
    }

    /** The validated requests (without defaults), or InvalidEventException listing every problem. */
    public static List<FineTuneRequested> expand(byte[] body) {
        JsonNode tree;
        try {
            tree = EventJson.mapper().readTree(body);
        } catch (IOException | RuntimeException e) {
            tree = null;
        }
        if (!(tree instanceof ObjectNode object) || !object.has(DATASETS)) {
            // a plain FineTuneRequested (or garbage: decodeData says what is wrong with it)
            return List.of(EventCodec.decodeData(body, FineTuneRequested.class));
        }
        List<Problem> problems = new ArrayList<>();
        JsonNode datasets = object.get(DATASETS);
        if (!datasets.isArray() || datasets.isEmpty()) {
            problems.add(new Problem("/" + DATASETS, "a non-empty array of dataset locations",
                    datasets.isArray() ? "[]" : datasets.getNodeType().toString().toLowerCase()));
        }
        if (object.has("dataset")) {
            problems.add(new Problem("/dataset", "absent when 'datasets' is given", object.get("dataset").toString()));
        }
        if (!object.hasNonNull("pretrained")) {
            problems.add(new Problem("/pretrained", "the pretrained model folder every dataset starts from"
                    + " (required with 'datasets')", "nothing"));
        }
        String base = object.path("jobId").isTextual() ? object.get("jobId").asText() : null;
        if (base != null && datasets.isArray() && !JobId.isValid(base + "-" + datasets.size())) {
            problems.add(new Problem("/jobId", "a base id that stays a valid job id with '-" + datasets.size()
                    + "' appended (" + JobId.PATTERN.pattern() + ")", "'" + base + "'"));
        }
        if (!problems.isEmpty() || !datasets.isArray()) {
            throw invalid(problems);
        }
        Set<String> seen = new HashSet<>();
        Set<Problem> all = new LinkedHashSet<>();
        List<FineTuneRequested> requests = new ArrayList<>();
        for (int i = 0; i < datasets.size(); i++) {
            String at = "/" + DATASETS + "/" + i;
            JsonNode dataset = datasets.get(i);
            if (dataset.isTextual() && !seen.add(dataset.asText())) {
                all.add(new Problem(at, "each dataset once", "a repeat of " + dataset));
                continue;
            }
            ObjectNode one = object.deepCopy();
            one.remove(DATASETS);
            one.set("dataset", dataset);
            if (base != null) {
                one.put("jobId", base + "-" + (i + 1));
            }
            try {
                requests.add(EventCodec.decodeData(one, FineTuneRequested.class));
            } catch (InvalidEventException e) {
                for (Problem p : e.problems()) {
                    all.add(p.where().equals("/dataset") || p.where().startsWith("/dataset/")
                            ? new Problem(at + p.where().substring("/dataset".length()), p.expected(), p.found()) : p);
                }
            }
        }
        if (!all.isEmpty()) {
            throw invalid(new ArrayList<>(all));
        }
        return requests;
    }

    private static InvalidEventException invalid(List<Problem> problems) {
        return new InvalidEventException("invalid fine-tune request", problems, null, null);
    }
}
