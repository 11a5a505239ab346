package io.nnft.checkpoint;

/**
 * The model-folder contract, owned here once: the names of nnU-Net's model folders ({@code plans.json},
 * {@code dataset.json}, {@code fold_F/checkpoint_{best,latest,final}.pth}), what nnft adds beside them
 * ({@code classification.json} of a classifier), and the state-dict prefixes that split a network into the encoder
 * (shared by segmentation networks, classifiers and exported encoders) and a classifier's head.
 */
public final class ModelFolder {
    public static final String PLANS_JSON = "plans.json";
    public static final String DATASET_JSON = "dataset.json";
    /** A classifier's description (classes, head, configuration, patch size, head shapes) beside plans.json. */
    public static final String CLASSIFICATION_JSON = "classification.json";
    public static final String CHECKPOINT_BEST = "checkpoint_best.pth";
    public static final String CHECKPOINT_LATEST = "checkpoint_latest.pth";
    public static final String CHECKPOINT_FINAL = "checkpoint_final.pth";
    /** nnU-Net's encoder ({@code encoder.stages.S...}), the part a pretrained model hands on. */
    public static final String ENCODER_PREFIX = "encoder.";
    /** A classifier's head ({@code head.fc.I...}). */
    public static final String HEAD_PREFIX = "head.";

    private ModelFolder() {
    }

    /** {@code fold_0}..{@code fold_4} or {@code fold_all}. */
    public static String foldDirectory(String fold) {
        return "fold_" + fold;
    }
}
