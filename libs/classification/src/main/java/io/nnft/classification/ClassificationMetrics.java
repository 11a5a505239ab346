package io.nnft.classification;

import java.util.Arrays;

/**
 * Validation metrics of a classifier from true class indices and predicted probabilities: confusion matrix
 * (rows = true class, columns = predicted = arg-max), accuracy, balanced accuracy (mean recall over the classes
 * present in the truth, as sklearn's balanced_accuracy_score) and ROC AUC one-vs-rest, macro-averaged over the
 * classes that have both positives and negatives, each class's AUC by the Mann-Whitney U statistic with
 * mid-ranks for tied scores (= the trapezoidal ROC area sklearn computes). For two classes the macro OvR AUC
 * equals the binary AUC of the second class's probability.
 */
public record ClassificationMetrics(int[][] confusion, double accuracy, double balancedAccuracy, double auc) {

    public static ClassificationMetrics of(int[] truth, double[][] probabilities, int classes) {
        if (truth.length != probabilities.length) {
            throw new IllegalArgumentException("metrics: " + truth.length + " labels but " + probabilities.length
                    + " predictions");
        }
        int[] predicted = new int[truth.length];
        for (int i = 0; i < truth.length; i++) {
            predicted[i] = argMax(probabilities[i]);
        }
        int[][] confusion = confusion(truth, predicted, classes);
        double[][] scores = new double[classes][truth.length];
        for (int i = 0; i < truth.length; i++) {
            for (int c = 0; c < classes; c++) {
                scores[c][i] = probabilities[i][c];
            }
        }
        return new ClassificationMetrics(confusion, accuracy(confusion), balancedAccuracy(confusion),
                macroAuc(truth, scores));
    }

    public static int argMax(double[] p) {
        int best = 0;
        for (int c = 1; c < p.length; c++) {
            if (p[c] > p[best]) {
                best = c;
            }
        }
        return best;
    }

    public static int[][] confusion(int[] truth, int[] predicted, int classes) {
        int[][] m = new int[classes][classes];
        for (int i = 0; i < truth.length; i++) {
            m[truth[i]][predicted[i]]++;
        }
        return m;
    }

    public static double accuracy(int[][] confusion) {
        long n = 0;
        long right = 0;
        for (int t = 0; t < confusion.length; t++) {
            for (int p = 0; p < confusion.length; p++) {
                n += confusion[t][p];
            }
            right += confusion[t][t];
        }
        return n == 0 ? Double.NaN : (double) right / n;
    }

    /** Mean recall over the classes that occur in the truth; NaN when there is no case. */
    public static double balancedAccuracy(int[][] confusion) {
        double sum = 0;
        int present = 0;
        for (int t = 0; t < confusion.length; t++) {
            long row = Arrays.stream(confusion[t]).asLongStream().sum();
            if (row > 0) {
                sum += (double) confusion[t][t] / row;
                present++;
            }
        }
        return present == 0 ? Double.NaN : sum / present;
    }

    /** Macro one-vs-rest AUC over the classes with positives and negatives; NaN when no class has both. */
    public static double macroAuc(int[] truth, double[][] scoresPerClass) {
        double sum = 0;
        int defined = 0;
        for (int c = 0; c < scoresPerClass.length; c++) {
            boolean[] positive = new boolean[truth.length];
            for (int i = 0; i < truth.length; i++) {
                positive[i] = truth[i] == c;
            }
            double a = auc(positive, scoresPerClass[c]);
            if (!Double.isNaN(a)) {
                sum += a;
                defined++;
            }
        }
        return defined == 0 ? Double.NaN : sum / defined;
    }

    /** P(score of a positive > score of a negative) + ½ P(tie), from mid-ranks; NaN without both kinds. */
    public static double auc(boolean[] positive, double[] scores) {
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double[] rank = new double[n];
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double mid = (i + j) / 2.0 + 1; // 1-based mid-rank of the tie group
            for (int k = i; k <= j; k++) {
                rank[order[k]] = mid;
            }
            i = j + 1;
        }
        long nPos = 0;
        double rankSum = 0;
        for (int i = 0; i < n; i++) {
            if (positive[i]) {
                nPos++;
                rankSum += rank[i];
            }
        }
        long nNeg = n - nPos;
        if (nPos == 0 || nNeg == 0) {
            return Double.NaN;
        }
        return (rankSum - nPos * (nPos + 1) / 2.0) / ((double) nPos * nNeg);
    }
}
