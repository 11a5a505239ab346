package io.nnft.classification;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where classification training reads and writes.
 *
 * @param preprocessed  the preprocessor's output ({@code <case>.npy}, {@code <case>.json}, optional {@code _seg.npy})
 * @param plans         the plans the data was preprocessed with (the pretrained model's)
 * @param fold          "0".."4" or "all"
 * @param labelsCsv     {@code classification.csv} ({@code case,label})
 * @param outputDir     becomes the classifier's model folder
 * @param pretrained    a .pth or nnU-Net model folder whose encoder is loaded, or null (from scratch)
 * @param splitsFile    a splits_final.json, or null for the stratified 5-fold split (seed 12345)
 * @param datasetJson   null: dataset.json in the preprocessed folder, its parent, or beside the plans
 */
public record ClassificationInputs(Path preprocessed, Path plans, String configuration, String fold, Path labelsCsv,
                                   Path outputDir, Path pretrained, Path splitsFile, Path datasetJson, boolean resume) {

    public static ClassificationInputs of(Path preprocessed, Path plans, String configuration, String fold,
                                          Path labelsCsv, Path outputDir) {
        return new ClassificationInputs(preprocessed, plans, configuration, fold, labelsCsv, outputDir, null, null, null,
                false);
    }

    public ClassificationInputs withPretrained(Path p) {
        return new ClassificationInputs(preprocessed, plans, configuration, fold, labelsCsv, outputDir, p, splitsFile,
                datasetJson, resume);
    }

    public ClassificationInputs withSplitsFile(Path s) {
        return new ClassificationInputs(preprocessed, plans, configuration, fold, labelsCsv, outputDir, pretrained, s,
                datasetJson, resume);
    }

    public ClassificationInputs withDatasetJson(Path d) {
        return new ClassificationInputs(preprocessed, plans, configuration, fold, labelsCsv, outputDir, pretrained,
                splitsFile, d, resume);
    }

    public ClassificationInputs withResume(boolean r) {
        return new ClassificationInputs(preprocessed, plans, configuration, fold, labelsCsv, outputDir, pretrained,
                splitsFile, datasetJson, r);
    }

    public Path foldDirectory() {
        return outputDir.resolve("fold_" + fold);
    }

    /** The given dataset.json, else the first of preprocessed/, its parent, the plans' folder; null if none. */
    public Path resolvedDatasetJson() {
        if (datasetJson != null) {
            return datasetJson;
        }
        for (Path dir : new Path[] {preprocessed, preprocessed.toAbsolutePath().getParent(),
                plans.toAbsolutePath().getParent()}) {
            if (dir != null && Files.isRegularFile(dir.resolve("dataset.json"))) {
                return dir.resolve("dataset.json");
            }
        }
        return null;
    }
}
