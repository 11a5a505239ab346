package io.nnft.cli;

import io.nnft.classification.ClassificationMetric;
import io.nnft.classification.ClassificationSettings;
import io.nnft.classification.HeadSettings;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/** {@code nnft train --task classification}'s own options (FineTuneRequested's classification section). */
final class ClassificationTrainOptions {
    @Option(names = "--labels", description = "classification.csv (case,label); --task classification only")
    Path labels;

    @Option(names = "--optimizer", description = "classification: adamw | sgd (default: adamw)")
    String optimizer;

    @Option(names = "--head-lr-factor", description = "classification: head LR = --lr × this (default: 10)")
    Double headLrFactor;

    @Option(names = "--weight-decay", description = "classification: weight decay (default: 3e-5)")
    Double weightDecay;

    @Option(names = "--momentum", description = "classification: SGD momentum / AdamW beta1 (default: 0.9)")
    Double momentum;

    @Option(names = "--pooling", description = "classification head: avg | max (default: avg)")
    String pooling;

    @Option(names = "--skips", split = ",", description = "classification head: extra encoder stages to pool, e.g. 1,2")
    List<Integer> skips;

    @Option(names = "--dropout", description = "classification head: dropout before each linear layer (default: 0)")
    Double dropout;

    @Option(names = "--hidden-units", split = ",", description = "classification head: hidden linear widths, e.g. 64")
    List<Integer> hiddenUnits;

    @Option(names = "--crop", description = "classification: random | center crop of cases larger than the patch (default: random)")
    String crop;

    @Option(names = "--class-weights", split = ",", description = "classification: cross-entropy weight per class, in class order")
    List<Double> classWeights;

    @Option(names = "--metric", description = "classification: balanced_accuracy | auc | val_loss, for early stopping "
            + "and checkpoint_best (default: balanced_accuracy)")
    String metric;

    /** Applies the given options (absent ones keep the settings' defaults). */
    void applyTo(ClassificationSettings s) {
        if (optimizer != null) {
            switch (optimizer.toLowerCase(java.util.Locale.ROOT)) {
                case "adamw" -> s.optimizer(ClassificationSettings.Optimizer.ADAMW);
                case "sgd" -> s.optimizer(ClassificationSettings.Optimizer.SGD);
                default -> throw new IllegalArgumentException("--optimizer: expected adamw or sgd, found '" + optimizer + "'");
            }
        }
        if (headLrFactor != null) {
            s.headLrFactor(headLrFactor);
        }
        if (weightDecay != null) {
            s.weightDecay(weightDecay);
        }
        if (momentum != null) {
            s.momentum(momentum);
        }
        s.head(new HeadSettings(pooling == null ? HeadSettings.Pooling.AVG : HeadSettings.Pooling.parse(pooling),
                skips, dropout == null ? 0 : dropout, hiddenUnits));
        if (crop != null) {
            switch (crop.toLowerCase(java.util.Locale.ROOT)) {
                case "random" -> s.crop(ClassificationSettings.Crop.RANDOM);
                case "center", "centre" -> s.crop(ClassificationSettings.Crop.CENTER);
                default -> throw new IllegalArgumentException("--crop: expected random or center, found '" + crop + "'");
            }
        }
        if (classWeights != null) {
            s.classWeights(classWeights.stream().mapToDouble(Double::doubleValue).toArray());
        }
    }

    ClassificationMetric metric() {
        return metric == null ? ClassificationMetric.BALANCED_ACCURACY : ClassificationMetric.parse(metric);
    }

    /** Options that only make sense for classification, when given with the segmentation task. */
    boolean anyGiven() {
        return labels != null || optimizer != null || headLrFactor != null || weightDecay != null || momentum != null
                || pooling != null || skips != null || dropout != null || hiddenUnits != null || crop != null
                || classWeights != null || metric != null;
    }
}
