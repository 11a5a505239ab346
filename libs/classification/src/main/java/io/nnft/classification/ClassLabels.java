package io.nnft.classification;

import java.io.IOException;
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
 * Per-case class labels from {@code classification.csv} ({@code case,label}). Class names are the distinct
 * labels sorted (numerically when every label is an integer, else as strings), so class indices do not depend
 * on the order of the rows.
 */
public final class ClassLabels {
    public static final String HEADER = "case,label";
    private final Map<String, Integer> indexByCase;
    private final List<String> classNames;

    private ClassLabels(Map<String, Integer> indexByCase, List<String> classNames) {
        this.indexByCase = indexByCase;
        this.classNames = classNames;
    }

    /**
     * Reads and checks the file against the preprocessed cases: every row's case must be preprocessed, every
     * preprocessed case must have a row, no case twice, at least two classes.
     *
     * @param knownCases the preprocessed case identifiers, or null to skip that check
     */
    public static ClassLabels read(Path csv, Collection<String> knownCases) throws IOException {
        if (!Files.isRegularFile(csv)) {
            throw new IllegalArgumentException("labels: expected a classification.csv (case,label), found nothing at " + csv);
        }
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException(csv + ": expected the header '" + HEADER + "', found an empty file");
        }
        String header = lines.get(0).replace("\uFEFF", "").replace(" ", "").trim();
        if (!header.equals(HEADER)) {
            throw new IllegalArgumentException(csv + " line 1: expected the header '" + HEADER + "', found '"
                    + lines.get(0) + "'");
        }
        Map<String, String> labelByCase = new LinkedHashMap<>();
        Map<String, Integer> lineOfCase = new LinkedHashMap<>();
        TreeSet<String> known = knownCases == null ? null : new TreeSet<>(knownCases);
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            int lineNo = i + 1;
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length != 2) {
                throw new IllegalArgumentException(csv + " line " + lineNo + ": expected 2 fields (case,label), found "
                        + f.length + " in '" + line + "'");
            }
            String c = f[0].trim();
            String label = f[1].trim();
            if (c.isEmpty() || label.isEmpty()) {
                throw new IllegalArgumentException(csv + " line " + lineNo + ": expected a case and a label, found '" + line
                        + "'");
            }
            if (labelByCase.containsKey(c)) {
                throw new IllegalArgumentException(csv + " line " + lineNo + ": case '" + c + "' is listed twice (first on line "
                        + lineOfCase.get(c) + ")");
            }
            if (known != null && !known.contains(c)) {
                throw new IllegalArgumentException(csv + " line " + lineNo + ": unknown case '" + c + "': not among the "
                        + known.size() + " preprocessed cases");
            }
            labelByCase.put(c, label);
            lineOfCase.put(c, lineNo);
        }
        if (known != null) {
            List<String> missing = new ArrayList<>();
            for (String k : known) {
                if (!labelByCase.containsKey(k)) {
                    missing.add(k);
                }
            }
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException(csv + ": missing label for " + missing.size() + " preprocessed case(s): "
                        + (missing.size() > 10 ? missing.subList(0, 10) + " ..." : missing));
            }
        }
        List<String> names = sortedClasses(labelByCase.values());
        if (names.size() < 2) {
            throw new IllegalArgumentException(csv + ": expected at least 2 classes, found " + names.size() + " " + names
                    + " in " + labelByCase.size() + " rows");
        }
        Map<String, Integer> index = new LinkedHashMap<>();
        labelByCase.forEach((c, l) -> index.put(c, names.indexOf(l)));
        return new ClassLabels(Collections.unmodifiableMap(index), List.copyOf(names));
    }

    static List<String> sortedClasses(Collection<String> labels) {
        List<String> names = new ArrayList<>(new TreeSet<>(labels));
        boolean allIntegers = names.stream().allMatch(s -> s.matches("[+-]?\\d{1,18}"));
        if (allIntegers) {
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
}
