package io.nnft.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A user asks for a fine-tune ({@code schemas/FineTuneRequested.v1.schema.json}). Only {@code dataset}
 * is required; a null field means "absent" (so a request serializes back as it came) and
 * {@link #withDefaults()} fills nnU-Net's defaults.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FineTuneRequested(
        String jobId,
        Task task,
        String dataset,
        String pretrained,
        String splits,
        Configuration configuration,
        Fold fold,
        Integer seed,
        Budget budget,
        Optimizer optimizer,
        EarlyStopping earlyStopping,
        Freeze freeze,
        Export export,
        Classification classification)
        implements NnftEvent {

    /** A request with only the dataset set. */
    public static FineTuneRequested of(String dataset) {
        return new FineTuneRequested(null, null, dataset, null, null, null, null, null, null, null, null, null, null,
                null);
    }

    public FineTuneRequested withJobId(String id) {
        return new FineTuneRequested(id, task, dataset, pretrained, splits, configuration, fold, seed, budget,
                optimizer, earlyStopping, freeze, export, classification);
    }

    /**
     * A copy with every absent field set to its default: nnU-Net's (task segmentation, 3d_fullres, fold 0,
     * 1000x250 iterations, SGD 1e-2 / 3e-5 / 0.99, no freezing, no early stopping) plus nnft's for what
     * nnU-Net lacks. For classification, classification settings are filled too and AdamW defaults to an
     * initial LR of 1e-3 and beta1 (momentum) 0.9. {@code jobId}, {@code pretrained}, {@code splits}, {@code seed}
     * and an absent {@code earlyStopping} stay absent.
     */
    public FineTuneRequested withDefaults() {
        Task t = task == null ? Task.SEGMENTATION : task;
        Classification c = t == Task.CLASSIFICATION
                ? (classification == null ? Classification.DEFAULT : classification.withDefaults())
                : (classification == null ? null : classification.withDefaults());
        boolean adamw = t == Task.CLASSIFICATION && c.optimizer() == Classification.Optimizer.ADAMW;
        double defaultLr = adamw ? Optimizer.DEFAULT_ADAMW_LR : Optimizer.DEFAULT_LR;
        double defaultMomentum = adamw ? Optimizer.DEFAULT_ADAMW_BETA1 : Optimizer.DEFAULT.momentum();
        return new FineTuneRequested(
                jobId, t, dataset, pretrained, splits,
                configuration == null ? Configuration.THREE_D_FULLRES : configuration,
                fold == null ? Fold.of(0) : fold,
                seed,
                budget == null ? Budget.DEFAULT : budget.withDefaults(),
                (optimizer == null ? Optimizer.EMPTY : optimizer).withDefaults(defaultLr, defaultMomentum),
                earlyStopping == null ? null : earlyStopping.withDefaults(t),
                freeze == null ? Freeze.DEFAULT : freeze.withDefaults(),
                export == null ? Export.DEFAULT : export.withDefaults(),
                c);
    }

    /** Training budget; nnU-Net: 1000 epochs x 250 iterations, 50 validation iterations. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Budget(Integer epochs, Integer iterationsPerEpoch, Integer validationIterations,
            Integer checkpointEvery) {
        public static final Budget DEFAULT = new Budget(1000, 250, 50, 1);

        public Budget withDefaults() {
            return new Budget(
                    epochs == null ? DEFAULT.epochs : epochs,
                    iterationsPerEpoch == null ? DEFAULT.iterationsPerEpoch : iterationsPerEpoch,
                    validationIterations == null ? DEFAULT.validationIterations : validationIterations,
                    checkpointEvery == null ? DEFAULT.checkpointEvery : checkpointEvery);
        }
    }

    /** Optimizer; nnU-Net: SGD Nesterov, momentum 0.99, initial LR 1e-2 (poly 0.9), weight decay 3e-5. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Optimizer(Double initialLr, Double weightDecay, Double momentum, Double encoderLrFactor) {
        public static final double DEFAULT_LR = 1e-2;
        public static final double DEFAULT_ADAMW_LR = 1e-3;
        /** AdamW's beta1 (PyTorch's default); nnU-Net's 0.99 is a Nesterov momentum and would slow Adam's mean. */
        public static final double DEFAULT_ADAMW_BETA1 = 0.9;
        public static final Optimizer DEFAULT = new Optimizer(DEFAULT_LR, 3e-5, 0.99, 1.0);
        static final Optimizer EMPTY = new Optimizer(null, null, null, null);

        public Optimizer withDefaults() {
            return withDefaults(DEFAULT_LR, DEFAULT.momentum);
        }

        Optimizer withDefaults(double defaultLr, double defaultMomentum) {
            return new Optimizer(
                    initialLr == null ? defaultLr : initialLr,
                    weightDecay == null ? DEFAULT.weightDecay : weightDecay,
                    momentum == null ? defaultMomentum : momentum,
                    encoderLrFactor == null ? DEFAULT.encoderLrFactor : encoderLrFactor);
        }
    }

    /** Stop after {@code patience} epochs without an improvement above {@code minDelta}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EarlyStopping(Metric metric, Integer patience, Double minDelta) {

        /** Monitored validation metric; val_loss is minimised, the others maximised. */
        public enum Metric {
            @JsonProperty("ema_pseudo_dice") EMA_PSEUDO_DICE,
            @JsonProperty("val_loss") VAL_LOSS,
            @JsonProperty("balanced_accuracy") BALANCED_ACCURACY,
            @JsonProperty("auc") AUC;

            public boolean minimised() {
                return this == VAL_LOSS;
            }
        }

        public EarlyStopping withDefaults(Task task) {
            Metric m = metric != null ? metric
                    : task == Task.CLASSIFICATION ? Metric.BALANCED_ACCURACY : Metric.EMA_PSEUDO_DICE;
            return new EarlyStopping(m, patience, minDelta == null ? 0.0 : minDelta);
        }
    }

    /** Which parameters train, now and on a schedule. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Freeze(Policy policy, List<String> prefixes, Boolean keepNormTrainable,
            List<UnfreezeStep> schedule) {
        public static final Freeze DEFAULT = new Freeze(Policy.NONE, List.of(), false, List.of());

        public enum Policy {
            /** Everything trains (nnU-Net). */
            @JsonProperty("none") NONE,
            /** {@code encoder.*} frozen. */
            @JsonProperty("encoder") ENCODER,
            /** Only {@code decoder.seg_layers.*} train. */
            @JsonProperty("all-but-seg-head") ALL_BUT_SEG_HEAD,
            /** Parameters whose names start with one of {@code prefixes} are frozen. */
            @JsonProperty("prefixes") PREFIXES
        }

        public Freeze withDefaults() {
            return new Freeze(
                    policy == null ? Policy.NONE : policy,
                    prefixes == null ? List.of() : prefixes,
                    keepNormTrainable == null ? Boolean.FALSE : keepNormTrainable,
                    schedule == null ? List.of() : schedule.stream().map(UnfreezeStep::withDefaults).toList());
        }
    }

    /** At the start of {@code epoch}, unfreeze {@code unfreezePrefixes} ("" = all) and scale the LR. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record UnfreezeStep(Integer epoch, List<String> unfreezePrefixes, Double lrFactor, Integer warmupEpochs) {
        public UnfreezeStep withDefaults() {
            return new UnfreezeStep(epoch, unfreezePrefixes, lrFactor == null ? 1.0 : lrFactor,
                    warmupEpochs == null ? 0 : warmupEpochs);
        }
    }

    /** What the exporter produces. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Export(Checkpoint checkpoint, Boolean classificationStarter) {
        public static final Export DEFAULT = new Export(Checkpoint.FINAL, false);

        public enum Checkpoint {
            @JsonProperty("best") BEST,
            @JsonProperty("final") FINAL;

            /** nnU-Net's file name in {@code fold_<f>/}. */
            public String fileName() {
                return this == BEST ? "checkpoint_best.pth" : "checkpoint_final.pth";
            }
        }

        public Export withDefaults() {
            return new Export(checkpoint == null ? DEFAULT.checkpoint : checkpoint,
                    classificationStarter == null ? DEFAULT.classificationStarter : classificationStarter);
        }
    }

    /** Settings for task=classification. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Classification(String labelsFile, Head head, Optimizer optimizer, Double headLrFactor,
            Crop crop, List<Double> classWeights) {
        public static final Classification DEFAULT =
                new Classification("classification.csv", Head.DEFAULT, Optimizer.ADAMW, 10.0, Crop.RANDOM, null);

        public enum Optimizer {
            @JsonProperty("adamw") ADAMW,
            @JsonProperty("sgd") SGD
        }

        public enum Crop {
            @JsonProperty("random") RANDOM,
            @JsonProperty("center") CENTER
        }

        public Classification withDefaults() {
            return new Classification(
                    labelsFile == null ? DEFAULT.labelsFile : labelsFile,
                    head == null ? Head.DEFAULT : head.withDefaults(),
                    optimizer == null ? DEFAULT.optimizer : optimizer,
                    headLrFactor == null ? DEFAULT.headLrFactor : headLrFactor,
                    crop == null ? DEFAULT.crop : crop,
                    classWeights);
        }
    }

    /** Global pooling of the bottleneck (+ optional skips), dropout, linear layer(s). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Head(Pooling pooling, List<Integer> skips, Double dropout, List<Integer> hiddenUnits) {
        public static final Head DEFAULT = new Head(Pooling.AVG, List.of(), 0.0, List.of());

        public enum Pooling {
            @JsonProperty("avg") AVG,
            @JsonProperty("max") MAX
        }

        public Head withDefaults() {
            return new Head(pooling == null ? DEFAULT.pooling : pooling, skips == null ? List.of() : skips,
                    dropout == null ? DEFAULT.dropout : dropout, hiddenUnits == null ? List.of() : hiddenUnits);
        }
    }
}
