package io.nnft.dataset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * nnU-Net v2's {@code dataset.json}: channel_names (index -> name, e.g. "CT"), labels (name -> value,
 * or name -> list of values for regions, "background" = 0, optional "ignore"), numTraining,
 * file_ending. Other keys (name, description, overwrite_image_reader_writer, ...) are kept in
 * {@link #raw()} and otherwise ignored: we always read NIfTI with our own reader.
 */
public final class DatasetJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode raw;
    private final List<String> channelNames;
    private final Map<String, List<Integer>> labels;
    private final Integer ignoreLabel;
    private final List<Integer> regionsClassOrder;
    private final int numTraining;
    private final String fileEnding;

    private DatasetJson(ObjectNode raw, List<String> channelNames, Map<String, List<Integer>> labels,
                        Integer ignoreLabel, List<Integer> regionsClassOrder, int numTraining, String fileEnding) {
        this.raw = raw;
        this.channelNames = channelNames;
        this.labels = labels;
        this.ignoreLabel = ignoreLabel;
        this.regionsClassOrder = regionsClassOrder;
        this.numTraining = numTraining;
        this.fileEnding = fileEnding;
    }

    /** Reads and checks a dataset.json; every problem found is listed in the exception. */
    public static DatasetJson read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new DatasetFormatException(List.of(DatasetProblem.error(file.toString(), "dataset.json",
                    "a file", "none")));
        }
        JsonNode node;
        try {
            node = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new DatasetFormatException(List.of(DatasetProblem.error(file.toString(), "JSON syntax",
                    "valid JSON", e.getOriginalMessage())));
        }
        if (node == null || !node.isObject()) {
            throw new DatasetFormatException(List.of(DatasetProblem.error(file.toString(), "top level",
                    "a JSON object", node == null ? "an empty file" : node.getNodeType().toString().toLowerCase())));
        }
        return parse((ObjectNode) node, file.toString());
    }

    /** Checks an already parsed dataset.json; {@code where} names it in problems. */
    public static DatasetJson parse(ObjectNode json, String where) throws DatasetFormatException {
        List<DatasetProblem> problems = new ArrayList<>();
        for (String key : new String[] {"channel_names", "labels", "numTraining", "file_ending"}) {
            if (!json.has(key)) {
                String hint = key.equals("channel_names") && json.has("modality")
                        ? " (found nnU-Net v1's 'modality'; v2 calls it channel_names)" : "";
                problems.add(DatasetProblem.error(where + " key " + key, "required key", "present", "missing" + hint));
            }
        }
        List<String> channels = parseChannels(json.get("channel_names"), where, problems);
        Map<String, List<Integer>> labels = new LinkedHashMap<>();
        Integer ignore = parseLabels(json.get("labels"), where, labels, problems);
        int numTraining = -1;
        JsonNode n = json.get("numTraining");
        if (n != null) {
            if (n.isIntegralNumber() && n.asLong() >= 0 && n.canConvertToInt()) {
                numTraining = n.asInt();
            } else {
                problems.add(DatasetProblem.error(where + " key numTraining", "type", "a non-negative integer",
                        n.toString()));
            }
        }
        String ending = null;
        JsonNode e = json.get("file_ending");
        if (e != null) {
            if (e.isTextual() && e.asText().startsWith(".") && e.asText().length() > 1) {
                ending = e.asText();
            } else {
                problems.add(DatasetProblem.error(where + " key file_ending", "type",
                        "a file ending starting with '.', e.g. \".nii.gz\"", e.toString()));
            }
        }
        List<Integer> regionsOrder = null;
        JsonNode r = json.get("regions_class_order");
        if (r != null && !r.isNull()) {
            regionsOrder = new ArrayList<>();
            if (!r.isArray()) {
                problems.add(DatasetProblem.error(where + " key regions_class_order", "type", "a list of integers",
                        r.toString()));
            } else {
                for (JsonNode v : r) {
                    if (v.isIntegralNumber()) {
                        regionsOrder.add(v.asInt());
                    } else {
                        problems.add(DatasetProblem.error(where + " key regions_class_order", "type",
                                "a list of integers", r.toString()));
                        break;
                    }
                }
            }
        }
        boolean regions = labels.values().stream().anyMatch(v -> v.size() > 1);
        if (regions && regionsOrder == null) {
            problems.add(DatasetProblem.error(where + " key regions_class_order", "required with region labels",
                    "present (labels " + labels + " define regions)", "missing"));
        }
        if (!problems.isEmpty()) {
            throw new DatasetFormatException(problems);
        }
        return new DatasetJson(json.deepCopy(), channels, Collections.unmodifiableMap(labels), ignore,
                regionsOrder == null ? null : List.copyOf(regionsOrder), numTraining, ending);
    }

    private static List<String> parseChannels(JsonNode node, String where, List<DatasetProblem> problems) {
        if (node == null) {
            return List.of();
        }
        String at = where + " key channel_names";
        if (!node.isObject() || node.isEmpty()) {
            problems.add(DatasetProblem.error(at, "type", "a non-empty object {\"0\": \"CT\", ...}", node.toString()));
            return List.of();
        }
        TreeMap<Integer, String> byIndex = new TreeMap<>();
        node.fields().forEachRemaining(f -> {
            try {
                byIndex.put(Integer.parseInt(f.getKey()), f.getValue().asText());
            } catch (NumberFormatException ex) {
                problems.add(DatasetProblem.error(at, "channel index", "\"0\", \"1\", ...", "\"" + f.getKey() + "\""));
            }
        });
        List<String> names = new ArrayList<>();
        int expected = 0;
        for (Map.Entry<Integer, String> c : byIndex.entrySet()) {
            if (c.getKey() != expected) {
                problems.add(DatasetProblem.error(at, "channel indices", "consecutive from 0 (0.." + (byIndex.size() - 1)
                        + ")", byIndex.keySet().toString()));
                break;
            }
            names.add(c.getValue());
            expected++;
        }
        return List.copyOf(names);
    }

    /** Fills name -> values, returns the ignore label (or null). */
    private static Integer parseLabels(JsonNode node, String where, Map<String, List<Integer>> out,
                                       List<DatasetProblem> problems) {
        if (node == null) {
            return null;
        }
        String at = where + " key labels";
        if (!node.isObject() || node.isEmpty()) {
            problems.add(DatasetProblem.error(at, "type", "a non-empty object {\"background\": 0, ...}",
                    node.toString()));
            return null;
        }
        Integer ignore = null;
        var it = node.fields();
        while (it.hasNext()) {
            var f = it.next();
            JsonNode v = f.getValue();
            List<Integer> values = new ArrayList<>();
            if (v.isIntegralNumber()) {
                values.add(v.asInt());
            } else if (v.isArray() && !v.isEmpty()) {
                for (JsonNode x : v) {
                    if (x.isIntegralNumber()) {
                        values.add(x.asInt());
                    } else {
                        values = null;
                        break;
                    }
                }
            } else {
                values = null;
            }
            if (values == null) {
                String hint = v.isTextual() ? " (nnU-Net v1 wrote value -> name; v2 wants name -> value)" : "";
                problems.add(DatasetProblem.error(at + "." + f.getKey(), "label value",
                        "an integer or a non-empty list of integers", v + hint));
                continue;
            }
            if (f.getKey().equals("ignore")) {
                if (values.size() != 1) {
                    problems.add(DatasetProblem.error(at + ".ignore", "ignore label", "a single integer", v.toString()));
                    continue;
                }
                ignore = values.get(0);
            } else {
                out.put(f.getKey(), List.copyOf(values));
            }
        }
        if (problems.stream().noneMatch(p -> p.where().startsWith(at))) {
            TreeSet<Integer> all = new TreeSet<>();
            out.values().forEach(all::addAll);
            if (!all.contains(0)) {
                problems.add(DatasetProblem.error(at, "background", "a label with value 0 (background)",
                        "values " + all));
            }
            List<Integer> expected = new ArrayList<>(all);
            if (ignore != null) {
                expected.add(ignore);
            }
            for (int i = 1; i < expected.size(); i++) {
                if (expected.get(i) - expected.get(i - 1) != 1) {
                    problems.add(DatasetProblem.error(at, "label values", "consecutive 0, 1, 2, ... (ignore label last)",
                            expected.toString()));
                    break;
                }
            }
        }
        return ignore;
    }

    /** Channel names in channel order (index 0 first). */
    public List<String> channelNames() {
        return channelNames;
    }

    public int numChannels() {
        return channelNames.size();
    }

    /** Label name -> its value(s), in file order, without "ignore". */
    public Map<String, List<Integer>> labels() {
        return labels;
    }

    /** The ignore label's value, or null. */
    public Integer ignoreLabel() {
        return ignoreLabel;
    }

    /** True when some label is a region (a list of several values). */
    public boolean hasRegions() {
        return labels.values().stream().anyMatch(v -> v.size() > 1);
    }

    public List<Integer> regionsClassOrder() {
        return regionsClassOrder;
    }

    /** Every value a label map may hold, sorted, as nnU-Net's LabelManager lists them; the ignore label last. */
    public List<Integer> allowedLabelValues() {
        TreeSet<Integer> all = new TreeSet<>();
        labels.values().forEach(all::addAll);
        List<Integer> out = new ArrayList<>(all);
        if (ignoreLabel != null && !all.contains(ignoreLabel)) {
            out.add(ignoreLabel);
        }
        return List.copyOf(out);
    }

    public int numTraining() {
        return numTraining;
    }

    public String fileEnding() {
        return fileEnding;
    }

    /** The whole document (a copy), for keys this class does not interpret. */
    public ObjectNode raw() {
        return raw.deepCopy();
    }
}
