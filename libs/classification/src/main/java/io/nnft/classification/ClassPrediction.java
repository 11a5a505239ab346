package io.nnft.classification;

/** One case's prediction: arg-max class and the softmax probability of every class (class-index order). */
public record ClassPrediction(String caseId, int labelIndex, String label, double[] probabilities) {
}
