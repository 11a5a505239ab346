package io.nnft.training.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nnft.pycompat.LegacyRandomState;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * nnU-Net's train/validation split (nnUNetTrainer.do_split): a {@code splits_final.json} when there is
 * one, otherwise its seeded 5-fold split — sklearn {@code KFold(n_splits=5, shuffle=True,
 * random_state=12345)} over the sorted case identifiers. Fold {@code all} trains and validates on every case.
 */
public final class Splits {
    public static final long NNUNET_SEED = 12345;
    public static final int NNUNET_FOLDS = 5;

    /** One fold: training and validation case identifiers, both sorted as sklearn yields them. */
    public record Fold(List<String> train, List<String> val) {
    }

    private Splits() {
    }

    /** Parses "0".."4" or "all"; anything else fails naming the value. */
    public static Integer parseFold(String fold) {
        if (fold.equals("all")) {
            return null;
        }
        try {
            int f = Integer.parseInt(fold);
            if (f >= 0) {
                return f;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the error
        }
        throw new IllegalArgumentException("fold: expected 0, 1, 2, 3, 4 or all, found '" + fold + "'");
    }

    /**
     * The fold's cases. {@code splitsFile} may be null or missing; then the seeded KFold is used, which needs
     * at least 5 cases.
     *
     * @param fold null for "all"
     */
    public static Fold select(List<String> caseIds, Integer fold, Path splitsFile) throws IOException {
        List<String> sorted = new ArrayList<>(new TreeSet<>(caseIds));
        if (fold == null) {
            return new Fold(sorted, sorted);
        }
        List<Fold> folds;
        String source;
        if (splitsFile != null && Files.isRegularFile(splitsFile)) {
            folds = read(splitsFile, sorted);
            source = splitsFile.toString();
        } else {
            if (sorted.size() < NNUNET_FOLDS) {
                throw new IllegalArgumentException("fold " + fold + ": nnU-Net's 5-fold split needs at least 5 cases, found "
                        + sorted.size() + " (give a splits_final.json or use fold 'all')");
            }
            folds = kFold(sorted, NNUNET_FOLDS, NNUNET_SEED);
            source = "nnU-Net's seeded 5-fold split";
        }
        if (fold >= folds.size()) {
            throw new IllegalArgumentException("fold " + fold + ": " + source + " has " + folds.size() + " folds (0.."
                    + (folds.size() - 1) + ")");
        }
        return folds.get(fold);
    }

    /** sklearn KFold(n_splits, shuffle=True, random_state=seed).split(sorted ids), as nnU-Net uses it. */
    public static List<Fold> kFold(List<String> sortedIds, int nSplits, long seed) {
        int n = sortedIds.size();
        if (n < nSplits) {
            throw new IllegalArgumentException("KFold: " + nSplits + " splits need at least " + nSplits + " cases, found " + n);
        }
        int[] perm = permutation(n, seed);
        List<Fold> out = new ArrayList<>();
        int start = 0;
        for (int f = 0; f < nSplits; f++) {
            int size = n / nSplits + (f < n % nSplits ? 1 : 0);
            boolean[] isVal = new boolean[n];
            for (int i = start; i < start + size; i++) {
                isVal[perm[i]] = true;
            }
            List<String> train = new ArrayList<>();
            List<String> val = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                (isVal[i] ? val : train).add(sortedIds.get(i));
            }
            out.add(new Fold(train, val));
            start += size;
        }
        return out;
    }

    /**
     * numpy's legacy {@code RandomState(seed).shuffle(arange(n))}: Fisher–Yates from the end, the partner index
     * drawn by masked rejection sampling (random_interval), which LegacyRandomState.randint reproduces.
     */
    static int[] permutation(int n, long seed) {
        LegacyRandomState rs = new LegacyRandomState(seed);
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int i = n - 1; i >= 1; i--) {
            int j = rs.randint(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    /** A splits_final.json: a list of {"train": [...], "val": [...]}; every id must be a known case. */
    public static List<Fold> read(Path file, List<String> knownIds) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException(file + ": expected a list of {\"train\": [...], \"val\": [...]}, found "
                    + (root == null ? "nothing" : root.getNodeType()));
        }
        TreeSet<String> known = new TreeSet<>(knownIds);
        List<Fold> folds = new ArrayList<>();
        for (int f = 0; f < root.size(); f++) {
            folds.add(new Fold(ids(root.get(f), "train", file, f, known), ids(root.get(f), "val", file, f, known)));
        }
        return folds;
    }

    private static List<String> ids(JsonNode fold, String key, Path file, int f, TreeSet<String> known) {
        JsonNode list = fold.get(key);
        if (list == null || !list.isArray()) {
            throw new IllegalArgumentException(file + " [" + f + "]." + key + ": expected a list of case identifiers, found "
                    + list);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode id : list) {
            if (!known.contains(id.asText())) {
                throw new IllegalArgumentException(file + " [" + f + "]." + key + ": case '" + id.asText()
                        + "' is not among the " + known.size() + " preprocessed cases");
            }
            out.add(id.asText());
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(file + " [" + f + "]." + key + ": expected at least one case, found none");
        }
        return out;
    }
}
