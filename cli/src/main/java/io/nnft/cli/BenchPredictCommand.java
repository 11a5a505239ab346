package io.nnft.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nnft.inference.LabelLayout;
import io.nnft.inference.prediction.CasePredictor;
import io.nnft.inference.prediction.ExportedPrediction;
import io.nnft.inference.prediction.PredictionCancelledException;
import io.nnft.inference.prediction.PredictionSettings;
import io.nnft.inference.prediction.TrainedModel;
import io.nnft.network.Networks;
import io.nnft.network.PlainConvUNet;
import io.nnft.network.PlainConvUNetConfig;
import io.nnft.planning.Plans;
import io.nnft.preprocessing.Parallel;
import io.nnft.preprocessing.PreprocessedCase;
import io.nnft.preprocessing.RawCase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;

/**
 * {@code nnft bench predict}: seconds for one synthetic CT-like case (body ellipsoid, organs, bone, air
 * outside; int16 HU) through preprocessing, the sliding window and the export, with and without mirroring.
 * The network is a model folder's, or a freshly initialised one from {@code --plans}/{@code --configuration}
 * (same cost as trained weights).
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Seconds per case of nnft predict on a synthetic CT-like volume.")
public final class BenchPredictCommand implements Callable<Integer> {
    @Option(names = "--model", description = "trained model folder (else --plans)")
    Path model;

    @Option(names = "--fold", defaultValue = "0", description = "fold of --model (default: ${DEFAULT-VALUE})")
    String fold;

    @Option(names = "--plans", description = "plans.json for a randomly initialised network")
    Path plans;

    @Option(names = "--configuration", defaultValue = "3d_fullres", description = "(default: ${DEFAULT-VALUE})")
    String configuration;

    @Option(names = "--classes", defaultValue = "2", description = "labels incl. background with --plans (default: ${DEFAULT-VALUE})")
    int classes;

    @Option(names = "--size", defaultValue = "256", description = "edge of the cubic case in voxels (default: ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--spacing", split = ",", defaultValue = "1,1,1", description = "z,y,x spacing in mm (default: ${DEFAULT-VALUE})")
    double[] spacing;

    @Option(names = "--tiles-per-batch", defaultValue = "2", description = "(default: ${DEFAULT-VALUE})")
    int tilesPerBatch;

    @Option(names = "--mirroring", split = ",", arity = "1", defaultValue = "false,true",
            description = "one run per value (default: ${DEFAULT-VALUE})")
    List<Boolean> mirroring;

    @Option(names = "--sample-tiles", defaultValue = "0", description = "predict only the first N tiles (whole "
            + "batches) and extrapolate the sliding window to all tiles; 0 = the whole case (default: ${DEFAULT-VALUE})")
    int sampleTiles;

    @Option(names = "--torch-threads", description = "libtorch intra-op threads (default: libtorch's own choice; "
            + "1 helps on machines whose cores are shared with other work)")
    Integer torchThreads;

    @Override
    public Integer call() throws Exception {
        if ((model == null) == (plans == null)) {
            throw new BadInputException("expected exactly one of --model or --plans");
        }
        if (sampleTiles < 0) {
            throw new BadInputException("--sample-tiles: expected 0 (whole case) or more, found " + sampleTiles);
        }
        if (torchThreads != null) {
            if (torchThreads < 1) {
                throw new BadInputException("--torch-threads: expected at least 1, found " + torchThreads);
            }
            // read by DJL when the engine starts, which happens below
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(torchThreads));
        }
        int threads = Runtime.getRuntime().availableProcessors();
        ForkJoinPool pool = new ForkJoinPool(threads);
        TrainedModel trained = null;
        NDManager manager = null;
        try {
            Plans p;
            JsonNode ds;
            List<PlainConvUNet> nets;
            int[] mirrorAxes;
            if (model != null) {
                trained = TrainedModel.open(model, List.of(fold), "checkpoint_final.pth");
                p = trained.plans();
                ds = trained.datasetJson();
                nets = trained.networks();
                manager = trained.manager();
                configuration = trained.configuration();
                mirrorAxes = trained.mirrorAxes();
            } else {
                p = Plans.read(plans);
                StringBuilder labels = new StringBuilder("{\"background\": 0");
                for (int c = 1; c < classes; c++) {
                    labels.append(", \"c").append(c).append("\": ").append(c);
                }
                ds = new ObjectMapper().readTree("{\"labels\": " + labels + "}, \"file_ending\": \".nii.gz\"}");
                manager = Networks.engine().newBaseManager();
                PlainConvUNetConfig config = PlainConvUNetConfig.fromPlans(p.json(), configuration,
                        LabelLayout.fromDatasetJson(ds, "bench").numSegmentationHeads(), false, plans.toString());
                nets = List.of(Networks.create(config, manager));
                mirrorAxes = p.configuration(configuration).patchSize().length == 2 ? new int[] {0, 1} : new int[] {0, 1, 2};
            }
            int channels = nets.get(0).config().inputChannels();
            short[] hu = syntheticCt(size, 42);
            System.out.printf("case %d^3 at %s mm, configuration %s, patch %s, %d threads, tiles/batch %d%n", size,
                    java.util.Arrays.toString(spacing), configuration,
                    java.util.Arrays.toString(p.configuration(configuration).patchSize()), threads, tilesPerBatch);
            for (boolean mirror : mirroring) {
                CasePredictor predictor = new CasePredictor(p, configuration, ds, "dataset.json", nets, manager,
                        new PredictionSettings(0.5, true, mirror, mirrorAxes, tilesPerBatch), Parallel.on(pool));
                float[][] data = new float[channels][];
                for (int c = 0; c < channels; c++) {
                    data[c] = new float[hu.length];
                    for (int i = 0; i < hu.length; i++) {
                        data[c][i] = hu[i];
                    }
                }
                RawCase raw = new RawCase("bench", data, new int[] {size, size, size}, null, spacing, null);
                runCase(predictor, raw, mirror);
            }
        } finally {
            if (trained != null) {
                trained.close();
            } else if (manager != null) {
                manager.close();
            }
            pool.shutdownNow();
        }
        return 0;
    }

    /**
     * Times the three stages of one case. With {@code --sample-tiles} the sliding window stops after that many
     * tiles and its time is extrapolated from the batches after the first (which pays for allocations), and the
     * export runs on logits of the right shape, since export time does not depend on their values.
     */
    private void runCase(CasePredictor predictor, RawCase raw, boolean mirror) {
        long t0 = System.nanoTime();
        PreprocessedCase pre = predictor.preprocess(raw);
        double preprocessS = (System.nanoTime() - t0) / 1e9;
        List<Double> batchSeconds = new ArrayList<>();
        int[] tiles = {0, 0};
        long[] last = {System.nanoTime()};
        float[][] logits;
        String window;
        try {
            logits = predictor.predictLogits(pre.data(), pre.shape(), (done, total) -> {
                long now = System.nanoTime();
                batchSeconds.add((now - last[0]) / 1e9);
                last[0] = now;
                tiles[0] = done;
                tiles[1] = total;
                return sampleTiles == 0 || done < sampleTiles;
            });
        } catch (PredictionCancelledException stopped) {
            logits = null;
        }
        double measured = batchSeconds.stream().mapToDouble(Double::doubleValue).sum();
        double windowS = measured;
        if (logits == null) {
            List<Double> steady = batchSeconds.size() > 1 ? batchSeconds.subList(1, batchSeconds.size()) : batchSeconds;
            double perBatch = steady.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            double batches = Math.ceil(tiles[1] / (double) tilesPerBatch);
            windowS = batchSeconds.get(0) + perBatch * (batches - 1);
            window = String.format("%.1f s estimated from %d of %d tiles (%.1f s measured, %.2f s per batch of %d "
                    + "after the first)", windowS, tiles[0], tiles[1], measured, perBatch, tilesPerBatch);
            int voxels = pre.shape()[0] * pre.shape()[1] * pre.shape()[2];
            logits = new float[predictor.labels().numSegmentationHeads()][voxels];
        } else {
            window = String.format("%.1f s for %d tiles", windowS, tiles[1]);
        }
        long t1 = System.nanoTime();
        ExportedPrediction e = predictor.export(logits, pre.shape(), pre.properties(), false);
        double exportS = (System.nanoTime() - t1) / 1e9;
        long fg = 0;
        for (short v : e.segmentation()) {
            fg += v != 0 ? 1 : 0;
        }
        System.out.printf("mirroring %-5s: %.1f s per case%s = preprocess %.1f s + sliding window %s + export %.1f s"
                        + "%s%n", mirror, preprocessS + windowS + exportS, sampleTiles > 0 ? " (estimated)" : "",
                preprocessS, window, exportS, sampleTiles > 0 ? "" : ", " + fg + " foreground voxels");
    }

    /** Air (-1000) around an elliptic body (soft tissue ~40 HU with noise), two organs and a spine. */
    static short[] syntheticCt(int n, long seed) {
        Random r = new Random(seed);
        short[] v = new short[n * n * n];
        int i = 0;
        double c = n / 2.0;
        for (int z = 0; z < n; z++) {
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    double by = (y - c) / (0.35 * n);
                    double bx = (x - c) / (0.45 * n);
                    double hu = -1000;
                    if (by * by + bx * bx < 1) {
                        hu = 40 + 15 * r.nextGaussian();
                        double oy = (y - 0.45 * n) / (0.12 * n);
                        double ox = (x - 0.35 * n) / (0.15 * n);
                        double oz = (z - c) / (0.3 * n);
                        if (oy * oy + ox * ox + oz * oz < 1) {
                            hu = 60 + 10 * r.nextGaussian();
                        }
                        double sy = (y - 0.7 * n) / (0.05 * n);
                        double sx = (x - c) / (0.05 * n);
                        if (sy * sy + sx * sx < 1) {
                            hu = 700 + 50 * r.nextGaussian();
                        }
                    }
                    v[i++] = (short) Math.round(hu);
                }
            }
        }
        return v;
    }
}
