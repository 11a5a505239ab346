package io.nnft.cli;

import io.nnft.inference.prediction.PredictionSettings;
import io.nnft.inference.prediction.RawFolderPrediction;
import io.nnft.inference.prediction.TrainedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code nnft predict}: nnUNetv2_predict on a folder of raw images with a trained model folder (ours or
 * nnU-Net's own): sliding window, Gaussian weighting, mirroring, export to the input's geometry.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Segment raw images (<case>_<XXXX>.nii.gz) with a trained nnU-Net model folder.")
public final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", required = true,
            description = "model folder with plans.json, dataset.json and fold_<F>/checkpoint_*.pth")
    Path model;

    @Option(names = "--fold", required = true, split = ",",
            description = "fold(s) to use: 0..4 or all; several (comma separated) are ensembled")
    List<String> folds;

    @Option(names = "--input", required = true, description = "folder of images named <case>_<XXXX><file_ending>")
    Path input;

    @Option(names = "--output", required = true, description = "folder for <case><file_ending> segmentations")
    Path output;

    @Option(names = "--checkpoint", defaultValue = "final", description = "best or final (default: ${DEFAULT-VALUE})")
    String checkpoint;

    @Option(names = "--no-mirroring", description = "disable test-time mirroring")
    boolean noMirroring;

    @Option(names = "--step-size", defaultValue = "0.5", description = "tile step as a fraction of the patch (default: ${DEFAULT-VALUE})")
    double stepSize;

    @Option(names = "--save-probabilities", description = "also write <case>.npz with the probabilities")
    boolean saveProbabilities;

    @Option(names = "--tiles-per-batch", defaultValue = "2", description = "tiles per network call (default: ${DEFAULT-VALUE})")
    int tilesPerBatch;

    @Option(names = "--threads", description = "threads for resampling (default: all processors)")
    Integer threads;

    @Option(names = "--torch-threads", description = "libtorch intra-op threads (default: libtorch's own choice; "
            + "1 helps on machines whose cores are shared with other work)")
    Integer torchThreads;

    @Override
    public Integer call() throws Exception {
        if (!checkpoint.equals("final") && !checkpoint.equals("best")) {
            throw new BadInputException("--checkpoint: expected best or final, found '" + checkpoint + "'");
        }
        List<String> fs = new ArrayList<>();
        for (String f : folds) {
            String t = f.trim();
            if (!t.equals("all") && !t.matches("\\d+")) {
                throw new BadInputException("--fold: expected a fold number or 'all', found '" + f + "'");
            }
            fs.add(t);
        }
        if (!(stepSize > 0 && stepSize <= 1)) {
            throw new BadInputException("--step-size: expected a value in (0, 1], found " + stepSize);
        }
        if (tilesPerBatch < 1) {
            throw new BadInputException("--tiles-per-batch: expected at least 1, found " + tilesPerBatch);
        }
        if (torchThreads != null) {
            if (torchThreads < 1) {
                throw new BadInputException("--torch-threads: expected at least 1, found " + torchThreads);
            }
            // read by DJL when the engine starts, which happens below
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(torchThreads));
        }
        int nThreads = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        TrainedModel m;
        try {
            m = TrainedModel.open(model, fs, "checkpoint_" + checkpoint + ".pth");
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        try (m) {
            PredictionSettings settings = new PredictionSettings(stepSize, true, !noMirroring, m.mirrorAxes(), tilesPerBatch);
            System.out.printf("model %s (configuration %s, folds %s, mirroring %s), step %.3g%n", model,
                    m.configuration(), fs, settings.useMirroring() && m.mirrorAxes().length > 0
                            ? java.util.Arrays.toString(m.mirrorAxes()) : "off", stepSize);
            try {
                RawFolderPrediction.run(m, settings, new RawFolderPrediction.Options(input, output, saveProbabilities,
                        nThreads), r -> System.out.printf("%s %s: read %.2f s, predict %.2f s, write %.2f s%n",
                        r.identifier(), java.util.Arrays.toString(r.shape()), r.readSeconds(), r.predictSeconds(),
                        r.writeSeconds()));
            } catch (IllegalArgumentException e) {
                throw new BadInputException(e.getMessage(), e);
            }
        }
        return 0;
    }
}
