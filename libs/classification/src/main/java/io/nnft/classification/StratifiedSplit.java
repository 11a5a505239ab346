package io.nnft.classification;

import io.nnft.dataset.ClassLabels;
import io.nnft.training.data.Splits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/**
 * Classification folds: a splits_final.json (nnU-Net's layout) when given, else a stratified 5-fold split
 * seeded with nnU-Net's 12345 — each class's sorted cases are shuffled and dealt to the folds in turn (the
 * deal continues across classes, so fold sizes differ by at most one). Every class then appears in every
 * fold's validation set when it has at least 5 cases. Fold {@code all} trains and validates on every case.
 */
public final class StratifiedSplit {
    public static final long SEED = Splits.NNUNET_SEED;
    public static final int FOLDS = Splits.NNUNET_FOLDS;

    private StratifiedSplit() {
    }

    /** @param fold "0".."4" or "all" */
    public static Splits.Fold select(ClassLabels labels, String fold, Path splitsFile) throws IOException {
        Integer f = Splits.parseFold(fold);
        List<String> sorted = new ArrayList<>(new TreeSet<>(labels.cases()));
        if (f == null) {
            return new Splits.Fold(sorted, sorted);
        }
        List<Splits.Fold> folds;
        String source;
        if (splitsFile != null && Files.isRegularFile(splitsFile)) {
            folds = Splits.read(splitsFile, sorted);
            source = splitsFile.toString();
        } else {
            folds = stratified(labels, FOLDS, SEED);
            source = "the stratified 5-fold split";
        }
        if (f >= folds.size()) {
            throw new IllegalArgumentException("fold " + f + ": " + source + " has " + folds.size() + " folds (0.."
                    + (folds.size() - 1) + ")");
        }
        return folds.get(f);
    }

    public static List<Splits.Fold> stratified(ClassLabels labels, int nFolds, long seed) {
        List<String> sorted = new ArrayList<>(new TreeSet<>(labels.cases()));
        if (sorted.size() < nFolds) {
            throw new IllegalArgumentException("stratified split: " + nFolds + " folds need at least " + nFolds
                    + " cases, found " + sorted.size() + " (give a splits file or use fold 'all')");
        }
        int[] foldOf = new int[sorted.size()];
        Random r = new Random(seed);
        int next = 0;
        for (int c = 0; c < labels.numClasses(); c++) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < sorted.size(); i++) {
                if (labels.indexOf(sorted.get(i)) == c) {
                    members.add(i);
                }
            }
            java.util.Collections.shuffle(members, r);
            for (int i : members) {
                foldOf[i] = next;
                next = (next + 1) % nFolds;
            }
        }
        List<Splits.Fold> out = new ArrayList<>();
        for (int f = 0; f < nFolds; f++) {
            List<String> train = new ArrayList<>();
            List<String> val = new ArrayList<>();
            for (int i = 0; i < sorted.size(); i++) {
                (foldOf[i] == f ? val : train).add(sorted.get(i));
            }
            out.add(new Splits.Fold(train, val));
        }
        return out;
    }
}
