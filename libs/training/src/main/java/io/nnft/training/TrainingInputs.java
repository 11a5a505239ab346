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
 * @param referenceDir reference segmentations {@code <case><file_ending>} for the final validation, or null for
 *                     nnU-Net's {@code gt_segmentations/} in the preprocessed folder or its parent
 */
public record TrainingInputs(Path preprocessed, Path plans, String configuration, String fold, Path outputDir,
                             Path pretrained, Path datasetJson, Path splitsFile, boolean resume, Path referenceDir) {

    public static final String GT_SEGMENTATIONS = "gt_segmentations";

    public TrainingInputs(Path preprocessed, Path plans, String configuration, String fold, Path outputDir,
                          Path pretrained, Path datasetJson, Path splitsFile, boolean resume) {
        this(preprocessed, plans, configuration, fold, outputDir, pretrained, datasetJson, splitsFile, resume, null);
    }

    public static TrainingInputs of(Path preprocessed, Path plans, String configuration, String fold, Path outputDir) {
        return new TrainingInputs(preprocessed, plans, configuration, fold, outputDir, null, null, null, false, null);
    }

    public TrainingInputs withPretrained(Path p) {
        return new TrainingInputs(preprocessed, plans, configuration, fold, outputDir, p, datasetJson, splitsFile, resume,
                referenceDir);
    }

    public TrainingInputs withResume(boolean r) {
        return new TrainingInputs(preprocessed, plans, configuration, fold, outputDir, pretrained, datasetJson, splitsFile, r,
                referenceDir);
    }

    public TrainingInputs withSplitsFile(Path s) {
        return new TrainingInputs(preprocessed, plans, configuration, fold, outputDir, pretrained, datasetJson, s, resume,
                referenceDir);
    }

    public TrainingInputs withReferenceDir(Path r) {
        return new TrainingInputs(preprocessed, plans, configuration, fold, outputDir, pretrained, datasetJson, splitsFile,
                resume, r);
    }

    /** The given reference folder, else gt_segmentations/ in the preprocessed folder or its parent; null if none. */
    public Path resolvedReferenceDir() {
        if (referenceDir != null) {
            return Files.isDirectory(referenceDir) ? referenceDir : null;
        }
        for (Path dir : new Path[] {preprocessed, preprocessed.toAbsolutePath().getParent()}) {
            if (dir != null && Files.isDirectory(dir.resolve(GT_SEGMENTATIONS))) {
                return dir.resolve(GT_SEGMENTATIONS);
            }
        }
        return null;
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
