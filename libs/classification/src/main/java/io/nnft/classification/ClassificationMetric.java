package io.nnft.classification;

/** The validation metric that early stopping and checkpoint_best watch; val_loss is minimised, the others maximised. */
public enum ClassificationMetric {
    BALANCED_ACCURACY("balanced_accuracy"), AUC("auc"), VAL_LOSS("val_loss");

    private final String jsonName;

    ClassificationMetric(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }

    public boolean minimised() {
        return this == VAL_LOSS;
    }

    public static ClassificationMetric parse(String s) {
        for (ClassificationMetric m : values()) {
            if (m.jsonName.equalsIgnoreCase(s) || m.name().equalsIgnoreCase(s)) {
                return m;
            }
        }
        throw new IllegalArgumentException("early-stopping metric: expected balanced_accuracy, auc or val_loss, found '"
                + s + "'");
    }
}
