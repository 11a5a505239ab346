package io.nnft.dataset;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Per-case class labels of a classification dataset: {@code classification.csv} beside dataset.json, the header
 * {@code case,label}, then one {@code case,label} line per case (blank lines ignored). Class names are the
 * distinct labels sorted (numerically when every label is an integer, else as strings), so class indices do not
 * depend on the order of the rows. The planner checks the file with {@link #parse} (every problem, for the
 * JobFailed event) and the trainer reads it with {@link #read}: one set of rules for both.
 */
public final class ClassLabels {
    public static final String HEADER = "case,label";
    /** Problems beyond this many are summarised in one (a wrong file has one problem per line). */
    static final int MAX_PROBLEMS = 20;
    private static final String WHAT = "classification labels";

    private final Map<String, Integer> indexByCase;
    private final List<String> classNames;

    private ClassLabels(Map<String, Integer> indexByCase, List<String> classNames) {
        this.indexByCase = indexByCase;
        this.classNames = classNames;
    }

    /** The labels, or (labels null) every problem found, each naming the file and line. */
    public record Parsed(ClassLabels labels, List<DatasetProblem> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    /**
     * Checks the file's bytes: UTF-8, the header, two fields per line, no case twice, and with
     * {@code knownCases} (else null) every row's case known and every known case labelled; at least 2 classes.
     *
     * @param where names the file in problems (a path or an s3:// location)
     */
    public static Parsed parse(byte[] csv, String where, Collection<String> knownCases) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(csv)).toString();
        } catch (CharacterCodingException e) {
            return failed(problem(where, "a UTF-8 text file of 'case,label' lines",
                    "bytes that are not UTF-8 (" + e.getMessage() + ")"));
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        String[] lines = text.split("\r?\n", -1);
        if (!lines[0].replace(" ", "").strip().equals(HEADER)) {
            return failed(problem(where + " line 1", "the header '" + HEADER + "'", "'" + abbreviate(lines[0]) + "'"));
        }
        TreeSet<String> known = knownCases == null ? null : new TreeSet<>(knownCases);
        List<DatasetProblem> problems = new ArrayList<>();
        Map<String, String> labelByCase = new LinkedHashMap<>();
        Map<String, Integer> lineOfCase = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i].strip();
            String at = where + " line " + (i + 1);
            if (line.isEmpty()) {
                continue;
            }
            String[] fields = line.split(",", -1);
            if (fields.length != 2) {
                problems.add(problem(at, "2 comma-separated fields 'case,label'",
                        fields.length + " field(s): '" + abbreviate(line) + "'"));
                continue;
            }
            String id = fields[0].strip();
            String label = fields[1].strip();
            if (id.isEmpty() || label.isEmpty()) {
                problems.add(problem(at, "a case identifier and a class label", "'" + abbreviate(line) + "'"));
            } else if (labelByCase.containsKey(id)) {
                problems.add(problem(at, "each case listed once",
                        "case '" + id + "' again (first on line " + lineOfCase.get(id) + ")"));
            } else if (known != null && !known.contains(id)) {
                problems.add(problem(at, "a case of the dataset (" + known.size() + " cases: "
                        + abbreviate(String.join(", ", known)) + ")", "unknown case '" + id + "'"));
            } else {
                labelByCase.put(id, label);
                lineOfCase.put(id, i + 1);
            }
        }
        List<String> names = sortedClasses(labelByCase.values());
        if (problems.isEmpty()) {
            if (known != null) {
                List<String> unlabelled = known.stream().filter(c -> !labelByCase.containsKey(c)).toList();
                if (!unlabelled.isEmpty()) {
                    problems.add(problem(where, "a label for every case of the dataset",
                            unlabelled.size() + " case(s) without one: " + abbreviate(String.join(", ", unlabelled))));
                }
            }
            if (names.size() < 2) {
                problems.add(problem(where, "at least 2 classes", names.size() + " class(es) " + names + " in "
                        + labelByCase.size() + " rows"));
            }
        }
        if (!problems.isEmpty()) {
            if (problems.size() > MAX_PROBLEMS) {
                int more = problems.size() - MAX_PROBLEMS;
                problems = new ArrayList<>(problems.subList(0, MAX_PROBLEMS));
                problems.add(problem(where, "no further problems", more + " more"));
            }
            return new Parsed(null, List.copyOf(problems));
        }
        Map<String, Integer> index = new LinkedHashMap<>();
        labelByCase.forEach((c, l) -> index.put(c, names.indexOf(l)));
        return new Parsed(new ClassLabels(Collections.unmodifiableMap(index), List.copyOf(names)), List.of());
    }

    /**
     * Reads and checks the file (see {@link #parse}).
     *
     * @param knownCases the dataset's case identifiers, or null to skip that check
     * @throws IllegalArgumentException naming the first problem, file and line, and how many more there are
     */
    public static ClassLabels read(Path csv, Collection<String> knownCases) throws IOException {
        if (!Files.isRegularFile(csv)) {
            throw new IllegalArgumentException(csv + ": expected a classification.csv (" + HEADER + "), found nothing");
        }
        Parsed p = parse(Files.readAllBytes(csv), csv.toString(), knownCases);
        if (!p.ok()) {
            DatasetProblem first = p.problems().get(0);
            throw new IllegalArgumentException(first.where() + ": expected " + first.expected() + ", found "
                    + first.found() + (p.problems().size() > 1 ? " (and " + (p.problems().size() - 1) + " more)" : ""));
        }
        return p.labels();
    }

    private static List<String> sortedClasses(Collection<String> labels) {
        List<String> names = new ArrayList<>(new TreeSet<>(labels));
        if (names.stream().allMatch(s -> s.matches("[+-]?\\d{1,18}"))) {
            names.sort(Comparator.comparingLong(Long::parseLong));
        }
        return names;
    }

    public List<String> classNames() {
        return classNames;
    }

    public int numClasses() {
        return classNames.size();
    }

    /** Cases in file order. */
    public List<String> cases() {
        return List.copyOf(indexByCase.keySet());
    }

    public int indexOf(String caseId) {
        Integer i = indexByCase.get(caseId);
        if (i == null) {
            throw new IllegalArgumentException("case '" + caseId + "' has no class label");
        }
        return i;
    }

    private static Parsed failed(DatasetProblem p) {
        return new Parsed(null, List.of(p));
    }

    private static DatasetProblem problem(String where, String expected, String found) {
        return DatasetProblem.error(where, WHAT, expected, found);
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }
}
