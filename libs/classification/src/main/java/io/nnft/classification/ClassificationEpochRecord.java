package io.nnft.classification;

/**
 * What one classification epoch logged.
 *
 * @param confusion [true class][predicted class] over the validation cases
 * @param auc       macro one-vs-rest ROC AUC; NaN when no class has both positives and negatives
 * @param lr        the head's learning rate this epoch
 * @param encoderLr the encoder's learning rate this epoch
 */
public record ClassificationEpochRecord(int epoch, double trainLoss, double valLoss, double accuracy,
                                        double balancedAccuracy, double auc, int[][] confusion, double lr,
                                        double encoderLr, double epochStartSeconds, double epochEndSeconds,
                                        double dataWaitSeconds, int trainableTensors) {
    public double epochTimeSeconds() {
        return epochEndSeconds - epochStartSeconds;
    }

    public double metric(ClassificationMetric m) {
        return switch (m) {
            case BALANCED_ACCURACY -> balancedAccuracy;
            case AUC -> auc;
            case VAL_LOSS -> valLoss;
        };
    }
}
