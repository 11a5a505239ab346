package io.nnft.training;

/**
 * What one epoch logged (nnU-Net's logger keys plus the time the loop waited for data).
 *
 * @param pseudoDice per foreground class (NaN when the class was absent from predictions and targets)
 */
public record EpochRecord(int epoch, double trainLoss, double valLoss, double[] pseudoDice, double meanPseudoDice,
                          double emaPseudoDice, double lr, double epochStartSeconds, double epochEndSeconds,
                          double dataWaitSeconds, int trainableTensors) {
    public double epochTimeSeconds() {
        return epochEndSeconds - epochStartSeconds;
    }
}
