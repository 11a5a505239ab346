package io.nnft.classification;

import io.nnft.training.FreezeSettings;
import io.nnft.training.LoopSettings;
import io.nnft.training.TrainingSettings;

/**
 * Every knob of classification training, one setter per field of FineTuneRequested (budget, optimizer,
 * classification, earlyStopping, freeze). Fluent setters return this.
 */
public final class ClassificationSettings implements LoopSettings {
    /** The optimizer of the classifier. */
    public enum Optimizer { ADAMW, SGD }

    /** How a case larger than the patch is cropped in training (validation always centres). */
    public enum Crop { RANDOM, CENTER }

    public static final double ADAM_BETA2 = 0.999;
    public static final double ADAM_EPS = 1e-8;

    private int epochs = 100;
    private int iterationsPerEpoch = 50;
    private int validationIterations = 50;
    private int checkpointEvery = 1;
    private Long seed;
    private Optimizer optimizer = Optimizer.ADAMW;
    private double initialLr = 1e-3;
    private double weightDecay = 3e-5;
    private double momentum = 0.9;
    private double encoderLrFactor = 1;
    private double headLrFactor = 10;
    private double maxGradNorm = 12;
    private HeadSettings head = HeadSettings.DEFAULT;
    private Crop crop = Crop.RANDOM;
    private double[] classWeights;
    private ClassificationMetric metric = ClassificationMetric.BALANCED_ACCURACY;
    private Integer patience;
    private double minDelta;
    private FreezeSettings freeze = FreezeSettings.NONE;
    private Integer batchSize;
    private boolean augment = true;
    private int dataThreads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 2));
    private int maxSkippedSteps = TrainingSettings.DEFAULT_MAX_SKIPPED_STEPS;

    public int epochs() { return epochs; }
    public ClassificationSettings epochs(int v) { epochs = positive(v, "epochs"); return this; }
    public int iterationsPerEpoch() { return iterationsPerEpoch; }
    public ClassificationSettings iterationsPerEpoch(int v) { iterationsPerEpoch = positive(v, "iterations per epoch"); return this; }
    /** Kept for the 1:1 mapping of the request; validation looks at every validation case once per epoch. */
    public int validationIterations() { return validationIterations; }
    public ClassificationSettings validationIterations(int v) { validationIterations = positive(v, "validation iterations"); return this; }
    public int checkpointEvery() { return checkpointEvery; }
    public ClassificationSettings checkpointEvery(int v) { checkpointEvery = positive(v, "checkpoint every"); return this; }
    /** Null: drawn at start and recorded in the checkpoints, so a resume continues the same batches. */
    public Long seed() { return seed; }
    public ClassificationSettings seed(Long v) { seed = v; return this; }
    public Optimizer optimizer() { return optimizer; }
    public ClassificationSettings optimizer(Optimizer v) { optimizer = v == null ? Optimizer.ADAMW : v; return this; }
    public double initialLr() { return initialLr; }
    public ClassificationSettings initialLr(double v) { initialLr = positiveReal(v, "initial LR"); return this; }
    /** AdamW: decoupled (p -= lr·wd·p); SGD: added to the gradient, like nnU-Net. */
    public double weightDecay() { return weightDecay; }
    public ClassificationSettings weightDecay(double v) { weightDecay = nonNegative(v, "weight decay"); return this; }
    /** SGD (Nesterov) momentum, or AdamW's beta1. */
    public double momentum() { return momentum; }
    public ClassificationSettings momentum(double v) {
        if (!(v >= 0 && v < 1)) {
            throw new IllegalArgumentException("momentum: expected 0 <= momentum < 1, found " + v);
        }
        momentum = v;
        return this;
    }
    /** Encoder LR = initial LR × this. */
    public double encoderLrFactor() { return encoderLrFactor; }
    public ClassificationSettings encoderLrFactor(double v) { encoderLrFactor = nonNegative(v, "encoder LR factor"); return this; }
    /** Head LR = initial LR × this. */
    public double headLrFactor() { return headLrFactor; }
    public ClassificationSettings headLrFactor(double v) { headLrFactor = positiveReal(v, "head LR factor"); return this; }
    public double maxGradNorm() { return maxGradNorm; }
    public ClassificationSettings maxGradNorm(double v) { maxGradNorm = positiveReal(v, "max grad norm"); return this; }
    public HeadSettings head() { return head; }
    public ClassificationSettings head(HeadSettings v) { head = v == null ? HeadSettings.DEFAULT : v; return this; }
    public Crop crop() { return crop; }
    public ClassificationSettings crop(Crop v) { crop = v == null ? Crop.RANDOM : v; return this; }
    /** Cross-entropy weight per class in class-index order, or null. */
    public double[] classWeights() { return classWeights == null ? null : classWeights.clone(); }
    public ClassificationSettings classWeights(double[] v) {
        if (v != null) {
            for (double w : v) {
                nonNegative(w, "class weight");
            }
        }
        classWeights = v == null ? null : v.clone();
        return this;
    }
    public ClassificationMetric metric() { return metric; }
    /** Null: no early stopping (checkpoint_best still follows the metric). */
    public Integer patience() { return patience; }
    public double minDelta() { return minDelta; }
    public ClassificationSettings earlyStopping(ClassificationMetric m, Integer patience, double minDelta) {
        this.metric = m == null ? ClassificationMetric.BALANCED_ACCURACY : m;
        this.patience = patience == null ? null : positive(patience, "patience");
        this.minDelta = nonNegative(minDelta, "min delta");
        return this;
    }
    /**
     * Freezing as for segmentation (none, encoder, prefixes:P1,P2 and a schedule). {@code all-but-seg-head} means
     * "only the head trains" here (the classifier has no segmentation layers), i.e. {@code encoder}.
     */
    public FreezeSettings freeze() { return freeze; }
    public ClassificationSettings freeze(FreezeSettings v) {
        FreezeSettings f = v == null ? FreezeSettings.NONE : v;
        if (f.policy().equals("all-but-seg-head")) {
            f = new FreezeSettings("encoder", f.keepNormTrainable(), f.schedule());
        }
        freeze = f;
        return this;
    }
    /** Null: the configuration's batch_size. */
    public Integer batchSize() { return batchSize; }
    public ClassificationSettings batchSize(Integer v) { batchSize = v == null ? null : positive(v, "batch size"); return this; }
    public boolean augment() { return augment; }
    public ClassificationSettings augment(boolean v) { augment = v; return this; }
    public int dataThreads() { return dataThreads; }
    public ClassificationSettings dataThreads(int v) { dataThreads = positive(v, "data threads"); return this; }

    /** Consecutive steps with a non-finite loss or gradient norm (skipped, not applied) before the run diverges. */
    public int maxSkippedSteps() { return maxSkippedSteps; }
    public ClassificationSettings maxSkippedSteps(int v) { maxSkippedSteps = positive(v, "max skipped steps"); return this; }

    private static int positive(int v, String what) {
        if (v < 1) {
            throw new IllegalArgumentException(what + ": expected >= 1, found " + v);
        }
        return v;
    }

    private static double positiveReal(double v, String what) {
        if (!(v > 0)) {
            throw new IllegalArgumentException(what + ": expected > 0, found " + v);
        }
        return v;
    }

    private static double nonNegative(double v, String what) {
        if (!(v >= 0)) {
            throw new IllegalArgumentException(what + ": expected >= 0, found " + v);
        }
        return v;
    }
}
