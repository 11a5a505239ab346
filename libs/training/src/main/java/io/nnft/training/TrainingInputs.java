package io.nnft.training;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where training reads and writes. {@code datasetJson} and {@code splitsFile} default to the files of those
 * names in the preprocessed folder or its parent (nnU-Net keeps them in nnUNet_preprocessed/DatasetXXX/).
 *
 * @param fold         "0".."4" or "all"
 * @param outputDir    becomes an nnU-Net model folder (plans.json, dataset.json, fold_F/)
 * @param pretrained   a .pth or model folder to start from, or null
 */
public record TrainingInputs(Path preprocessed, Path plans, String configuration, String fold, Path outputDir,
                             Path pretrained, Path datasetJson, Path splitsFile, boolean resume) {

    public static TrainingInputs of(Path preprocessed, Path plans, String configuration, String fold, Path outputDir) {
        return new TrainingInputs(preprocessed, plans, configuration, fold, outputDir, null, null, null, false);
    }

    public TrainingInputs withPretrained(Path p) {
        return new TrainingInputs(preprocessed, plans, configuration, fold, outputDir, p, datasetJson, splitsFile, resume);
    }

    public TrainingInputs withResume(boolean r) {
        return new TrainingInputs(preprocessed, plans, configuration, fold, outputDir, pretrained, datasetJson, splitsFile, r);
    }

    public TrainingInputs withSplitsFile(Path s) {
        return new TrainingInputs(preprocessed, plans, configuration, fold, outputDir, pretrained, datasetJson, s, resume);
    }

    Path resolvedDatasetJson() {
        if (datasetJson != null) {
            return datasetJson;
        }
        return besideData("dataset.json");
    }

    Path resolvedSplitsFile() {
        return splitsFile != null ? splitsFile : besideData("splits_final.json");
    }

    private Path besideData(String name) {
        for (Path dir : new Path[] {preprocessed, preprocessed.toAbsolutePath().getParent(),
                plans.toAbsolutePath().getParent()}) {
            if (dir != null && Files.isRegularFile(dir.resolve(name))) {
                return dir.resolve(name);
            }
        }
        return null;
    }

    public Path foldDirectory() {
        return outputDir.resolve("fold_" + fold);
    }
}
