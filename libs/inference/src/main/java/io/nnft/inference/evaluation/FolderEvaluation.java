package io.nnft.inference.evaluation;

import io.nnft.imageio.Nifti;
import io.nnft.imageio.NiftiImage;
import com.fasterxml.jackson.databind.JsonNode;
import io.nnft.inference.LabelLayout;
import io.nnft.inference.LabelOrRegion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * nnU-Net's compute_metrics_on_folder: every prediction file (by file ending, sorted) is compared with
 * the reference of the same name; unless {@code chill}, every reference must have a prediction. Cases
 * run in parallel, one thread per case.
 */
public final class FolderEvaluation {
    /**
     * @param fileEnding      dataset.json's file_ending, e.g. ".nii.gz"
     * @param ignoreLabel     null when the dataset has none
     * @param chill           allow references without a prediction (nnU-Net's --chill)
     */
    public record Options(Path referenceDir, Path predictionDir, String fileEnding,
                          List<LabelOrRegion> labelsOrRegions, Integer ignoreLabel, int threads, boolean chill) {
    }

    private FolderEvaluation() {
    }

    /** Options from dataset.json (file_ending, labels or regions, ignore label), as nnUNetv2_evaluate_folder. */
    public static Options options(Path referenceDir, Path predictionDir, JsonNode datasetJson, String where,
                                  int threads, boolean chill) {
        JsonNode ending = datasetJson.get("file_ending");
        if (ending == null || !ending.isTextual()) {
            throw new IllegalArgumentException(where + ": expected a string 'file_ending' (e.g. \".nii.gz\"), found "
                    + (ending == null ? "nothing" : ending));
        }
        LabelLayout labels = LabelLayout.fromDatasetJson(datasetJson, where);
        return new Options(referenceDir, predictionDir, ending.asText(), labels.labelsOrRegionsToEvaluate(),
                labels.ignoreLabel(), threads, chill);
    }

    public static EvaluationSummary run(Options o) throws IOException {
        if (!o.fileEnding().endsWith(".nii.gz") && !o.fileEnding().endsWith(".nii")) {
            throw new IllegalArgumentException("file_ending '" + o.fileEnding()
                    + "': only NIfTI (.nii.gz, .nii) segmentations can be evaluated");
        }
        List<String> predicted = list(o.predictionDir(), o.fileEnding(), "--prediction");
        List<String> references = list(o.referenceDir(), o.fileEnding(), "--reference");
        for (String p : predicted) {
            if (!references.contains(p)) {
                throw new IllegalArgumentException(o.predictionDir().resolve(p) + ": no reference "
                        + o.referenceDir().resolve(p) + " for this prediction");
            }
        }
        if (!o.chill()) {
            List<String> missing = new ArrayList<>(references);
            missing.removeAll(predicted);
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException(o.predictionDir() + ": expected a prediction for every reference in "
                        + o.referenceDir() + ", missing " + missing.size() + ": " + missing);
            }
        }
        if (predicted.isEmpty()) {
            throw new IllegalArgumentException(o.predictionDir() + ": expected predictions ending in '"
                    + o.fileEnding() + "', found none");
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(o.threads(), predicted.size())));
        try {
            List<Future<CaseMetrics>> futures = new ArrayList<>();
            for (String name : predicted) {
                Path ref = o.referenceDir().resolve(name);
                Path pred = o.predictionDir().resolve(name);
                futures.add(pool.submit(() -> evaluateCase(ref, pred, o.labelsOrRegions(), o.ignoreLabel())));
            }
            List<CaseMetrics> results = new ArrayList<>();
            for (Future<CaseMetrics> f : futures) {
                results.add(f.get());
            }
            return new EvaluationSummary(o.labelsOrRegions(), results);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("evaluation interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            if (c instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(c.getMessage(), c);
        } finally {
            pool.shutdownNow();
        }
    }

    /** One case: both label maps read, shapes checked, counts per label or region. */
    public static CaseMetrics evaluateCase(Path reference, Path prediction, List<LabelOrRegion> labelsOrRegions,
                                           Integer ignoreLabel) {
        try {
            NiftiImage ref = Nifti.read(reference);
            NiftiImage pred = Nifti.read(prediction);
            if (!Arrays.equals(ref.shape(), pred.shape())) {
                throw new IllegalArgumentException(prediction + ": shape (z, y, x) " + Arrays.toString(pred.shape())
                        + " differs from the reference's " + Arrays.toString(ref.shape()) + " (" + reference + ")");
            }
            Map<LabelOrRegion, ConfusionCounts> m = SegmentationMetrics.compute(labels(ref, reference),
                    labels(pred, prediction), labelsOrRegions, ignoreLabel);
            return new CaseMetrics(reference.toString(), prediction.toString(), m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int[] labels(NiftiImage image, Path file) {
        if (!image.header().isScaled() && !image.data().dtype().isFloatingPoint()) {
            return image.data().toInts();
        }
        double[] v = image.toDoubles();
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            double d = v[i];
            if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(file + ": a segmentation must hold integer labels, found " + d
                        + " at voxel " + i);
            }
            out[i] = (int) d;
        }
        return out;
    }

    private static List<String> list(Path dir, String ending, String what) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(what + ": expected a folder of segmentations, found no folder at " + dir);
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(ending)).sorted().toList();
        }
    }
}
