package io.nnft.classification;

import io.nnft.imageio.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Prediction tables: {@code case,label,p_<class>...} (plus {@code true_label} for validation predictions). */
public final class ClassificationCsv {
    private ClassificationCsv() {
    }

    public static void writePredictions(Path csv, List<String> classNames, List<ClassPrediction> predictions)
            throws IOException {
        write(csv, classNames, predictions, null);
    }

    /** @param trueLabels per prediction, or null */
    public static void write(Path csv, List<String> classNames, List<ClassPrediction> predictions,
                             List<String> trueLabels) throws IOException {
        StringBuilder sb = new StringBuilder("case,label");
        if (trueLabels != null) {
            sb.append(",true_label");
        }
        for (String c : classNames) {
            sb.append(",p_").append(c);
        }
        sb.append('\n');
        for (int i = 0; i < predictions.size(); i++) {
            ClassPrediction p = predictions.get(i);
            sb.append(p.caseId()).append(',').append(p.label());
            if (trueLabels != null) {
                sb.append(',').append(trueLabels.get(i));
            }
            for (double v : p.probabilities()) {
                sb.append(',').append(String.format(Locale.ROOT, "%.6f", v));
            }
            sb.append('\n');
        }
        AtomicFiles.write(csv, tmp -> Files.writeString(tmp, sb));
    }
}
