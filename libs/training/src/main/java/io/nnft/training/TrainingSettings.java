package io.nnft.training;

/**
 * Every knob of the loop, defaulting to nnU-Net's (1000 epochs × 250 iterations, 50 validation iterations,
 * LR 1e-2 poly 0.9, SGD Nesterov 0.99, weight decay 3e-5, clip 12, 33% foreground oversampling). Fluent
 * setters return this.
 */
public final class TrainingSettings implements LoopSettings {
    public static final int SHORT_SCHEDULE_WARNING_EPOCHS = 250;
    /** A few NaN steps in a row are a transient; more mean the weights will not come back (see DivergenceGuard). */
    public static final int DEFAULT_MAX_SKIPPED_STEPS = 5;

    private int epochs = 1000;
    private int iterationsPerEpoch = 250;
    private int validationIterations = 50;
    private double initialLr = 1e-2;
    private double weightDecay = 3e-5;
    private double momentum = 0.99;
    private double maxGradNorm = 12;
    private int checkpointEvery = 1;
    private Integer patience;
    private double minDelta;
    private double oversampleForeground = 0.33;
    private Long seed;
    private boolean deterministic;
    private boolean augment = true;
    private int dataThreads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 2));
    private int prefetch = 4;
    private Integer batchSize;
    private FreezeSettings freeze = FreezeSettings.NONE;
    private double encoderLrFactor = 1;
    private boolean finalValidation = true;
    private int maxSkippedSteps = DEFAULT_MAX_SKIPPED_STEPS;

    public int epochs() { return epochs; }
    public TrainingSettings epochs(int v) { epochs = positive(v, "epochs"); return this; }
    public int iterationsPerEpoch() { return iterationsPerEpoch; }
    public TrainingSettings iterationsPerEpoch(int v) { iterationsPerEpoch = positive(v, "iterations per epoch"); return this; }
    public int validationIterations() { return validationIterations; }
    public TrainingSettings validationIterations(int v) { validationIterations = positive(v, "validation iterations"); return this; }
    public double initialLr() { return initialLr; }
    public TrainingSettings initialLr(double v) {
        if (!(v > 0)) {
            throw new IllegalArgumentException("initial LR: expected > 0, found " + v);
        }
        initialLr = v;
        return this;
    }
    public double weightDecay() { return weightDecay; }
    public TrainingSettings weightDecay(double v) { weightDecay = v; return this; }
    public double momentum() { return momentum; }
    public TrainingSettings momentum(double v) { momentum = v; return this; }
    public double maxGradNorm() { return maxGradNorm; }
    public TrainingSettings maxGradNorm(double v) { maxGradNorm = v; return this; }
    public int checkpointEvery() { return checkpointEvery; }
    public TrainingSettings checkpointEvery(int v) { checkpointEvery = positive(v, "checkpoint every"); return this; }
    /** Null: no early stopping (nnU-Net). */
    public Integer patience() { return patience; }
    public TrainingSettings patience(Integer v) { patience = v == null ? null : positive(v, "patience"); return this; }
    public double minDelta() { return minDelta; }
    public TrainingSettings minDelta(double v) { minDelta = v; return this; }
    public double oversampleForeground() { return oversampleForeground; }
    public TrainingSettings oversampleForeground(double v) { oversampleForeground = v; return this; }
    /** Null: drawn at start and recorded in the checkpoints, so a resume continues the same stream. */
    public Long seed() { return seed; }
    public TrainingSettings seed(Long v) { seed = v; return this; }
    public boolean deterministic() { return deterministic; }
    public TrainingSettings deterministic(boolean v) { deterministic = v; return this; }
    public boolean augment() { return augment; }
    public TrainingSettings augment(boolean v) { augment = v; return this; }
    public int dataThreads() { return dataThreads; }
    public TrainingSettings dataThreads(int v) { dataThreads = positive(v, "data threads"); return this; }
    public int prefetch() { return prefetch; }
    public TrainingSettings prefetch(int v) { prefetch = positive(v, "prefetch"); return this; }
    /** Null: the configuration's batch_size. */
    public Integer batchSize() { return batchSize; }
    public TrainingSettings batchSize(Integer v) { batchSize = v == null ? null : positive(v, "batch size"); return this; }
    public FreezeSettings freeze() { return freeze; }
    public TrainingSettings freeze(FreezeSettings v) { freeze = v == null ? FreezeSettings.NONE : v; return this; }

    /** Encoder LR = initial LR × this (differential learning rates); 1 keeps nnU-Net's single parameter group. */
    public double encoderLrFactor() { return encoderLrFactor; }
    public TrainingSettings encoderLrFactor(double v) {
        if (!(v >= 0)) {
            throw new IllegalArgumentException("encoder LR factor: expected >= 0, found " + v);
        }
        encoderLrFactor = v;
        return this;
    }

    /** nnU-Net's perform_actual_validation after training: predict the fold's validation cases, real Dice. */
    public boolean finalValidation() { return finalValidation; }
    public TrainingSettings finalValidation(boolean v) { finalValidation = v; return this; }

    /** Consecutive steps with a non-finite loss or gradient norm (skipped, not applied) before the run diverges. */
    public int maxSkippedSteps() { return maxSkippedSteps; }
    public TrainingSettings maxSkippedSteps(int v) { maxSkippedSteps = positive(v, "max skipped steps"); return this; }

    private static int positive(int v, String what) {
        if (v < 1) {
            throw new IllegalArgumentException(what + ": expected >= 1, found " + v);
        }
        return v;
    }
}
