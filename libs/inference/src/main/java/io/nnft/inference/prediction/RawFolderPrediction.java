package io.nnft.inference.prediction;

import com.fasterxml.jackson.databind.JsonNode;
import io.nnft.imageio.Nifti;
import io.nnft.imageio.NiftiImage;
import io.nnft.preprocessing.Parallel;
import io.nnft.preprocessing.RawCase;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * nnUNetv2_predict on a folder in nnU-Net's raw naming ({@code <case>_<XXXX><file_ending>}, one file per
 * channel): every case is read, predicted and written as {@code <case><file_ending>} with the geometry of
 * its first channel (plus {@code <case>.npz} probabilities on request). Cases run one after the other, so
 * memory holds one case; the threads work inside it (resampling) and libtorch uses its own.
 */
public final class RawFolderPrediction {
    public record Options(Path input, Path output, boolean saveProbabilities, int threads) {
    }

    /** Seconds spent per case, split the way that helps find the slow part. */
    public record CaseReport(String identifier, int[] shape, double readSeconds, double predictSeconds,
                             double writeSeconds) {
        public double seconds() {
            return readSeconds + predictSeconds + writeSeconds;
        }
    }

    /** One case's channel files, in channel order. */
    public record InputCase(String identifier, List<Path> channels) {
    }

    private RawFolderPrediction() {
    }

    public static List<CaseReport> run(TrainedModel model, PredictionSettings settings, Options o,
                                       Consumer<CaseReport> onCase) throws IOException {
        JsonNode ds = model.datasetJson();
        String ending = ds.path("file_ending").asText("");
        if (!ending.endsWith(".nii.gz") && !ending.endsWith(".nii")) {
            throw new IllegalArgumentException(model.folder().resolve("dataset.json") + ": file_ending '" + ending
                    + "': only NIfTI (.nii.gz, .nii) inputs are supported");
        }
        int channels = ds.path("channel_names").size();
        if (channels == 0) {
            channels = ds.path("modality").size();
        }
        List<InputCase> cases = listCases(o.input(), ending, channels);
        Files.createDirectories(o.output());
        // as nnU-Net: the output folder says which plans and labels produced it
        Files.copy(model.folder().resolve("dataset.json"), o.output().resolve("dataset.json"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.copy(model.folder().resolve("plans.json"), o.output().resolve("plans.json"),
                StandardCopyOption.REPLACE_EXISTING);
        ForkJoinPool pool = new ForkJoinPool(Math.max(1, o.threads()));
        List<CaseReport> reports = new ArrayList<>();
        try {
            CasePredictor predictor = CasePredictor.of(model, settings, Parallel.on(pool));
            int maxLabel = predictor.labels().maxLabel();
            for (InputCase c : cases) {
                long t0 = System.nanoTime();
                NiftiImage[] images = new NiftiImage[c.channels().size()];
                RawCase raw = read(c, images);
                int[] shape = raw.shape();
                long t1 = System.nanoTime();
                ExportedPrediction p = predictor.predict(raw, o.saveProbabilities());
                long t2 = System.nanoTime();
                PredictionWriter.writeSegmentation(o.output().resolve(c.identifier() + ending), p, images[0], maxLabel);
                if (o.saveProbabilities()) {
                    PredictionWriter.writeProbabilities(o.output().resolve(c.identifier() + ".npz"), p);
                }
                long t3 = System.nanoTime();
                CaseReport r = new CaseReport(c.identifier(), shape, (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9);
                reports.add(r);
                if (onCase != null) {
                    onCase.accept(r);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return reports;
    }

    /** Reads the channels (same shape and spacing required) into a raw case without a label. */
    public static RawCase read(InputCase c, NiftiImage[] imagesOut) throws IOException {
        float[][] data = new float[c.channels().size()][];
        NiftiImage first = null;
        for (int ch = 0; ch < data.length; ch++) {
            Path p = c.channels().get(ch);
            NiftiImage img = Nifti.read(p);
            if (img.shape().length != 3) {
                throw new IllegalArgumentException(p + ": expected a 3d image, found shape " + Arrays.toString(img.shape()));
            }
            if (first == null) {
                first = img;
            } else {
                if (!Arrays.equals(first.shape(), img.shape())) {
                    throw new IllegalArgumentException(p + ": shape (z, y, x) " + Arrays.toString(img.shape())
                            + " differs from " + Arrays.toString(first.shape()) + " of " + c.channels().get(0));
                }
                if (!Arrays.equals(first.spacing(), img.spacing())) {
                    throw new IllegalArgumentException(p + ": spacing (z, y, x) " + Arrays.toString(img.spacing())
                            + " differs from " + Arrays.toString(first.spacing()) + " of " + c.channels().get(0));
                }
            }
            data[ch] = img.toFloats();
            if (imagesOut != null) {
                imagesOut[ch] = img;
            }
        }
        long[] s = first.shape();
        int[] shape = {(int) s[0], (int) s[1], (int) s[2]};
        return new RawCase(c.identifier(), data, shape, null, first.spacing(), null);
    }

    /** nnU-Net's create_lists_from_splitted_dataset_folder: cases by identifier, sorted, all channels required. */
    public static List<InputCase> listCases(Path folder, String ending, int channels) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("--input: expected a folder of images named <case>_<XXXX>" + ending
                    + ", found no folder at " + folder);
        }
        Pattern name = Pattern.compile("(.+)_(\\d{4})" + Pattern.quote(ending));
        TreeMap<String, Path[]> byCase = new TreeMap<>();
        List<String> wrongChannel = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path p : files.sorted().toList()) {
                Matcher m = name.matcher(p.getFileName().toString());
                if (!m.matches()) {
                    continue;
                }
                int ch = Integer.parseInt(m.group(2));
                if (ch >= channels) {
                    wrongChannel.add(p.getFileName().toString());
                    continue;
                }
                byCase.computeIfAbsent(m.group(1), k -> new Path[channels])[ch] = p;
            }
        }
        if (!wrongChannel.isEmpty()) {
            throw new IllegalArgumentException(folder + ": the model takes " + channels + " channel(s) (_0000.."
                    + String.format("_%04d", channels - 1) + "), found " + wrongChannel);
        }
        if (byCase.isEmpty()) {
            throw new IllegalArgumentException(folder + ": expected images named <case>_<XXXX>" + ending + ", found none");
        }
        List<InputCase> out = new ArrayList<>();
        for (var e : byCase.entrySet()) {
            for (int ch = 0; ch < channels; ch++) {
                if (e.getValue()[ch] == null) {
                    throw new IllegalArgumentException("case " + e.getKey() + ": expected channel file "
                            + folder.resolve(String.format("%s_%04d%s", e.getKey(), ch, ending)) + ", not found");
                }
            }
            out.add(new InputCase(e.getKey(), List.of(e.getValue())));
        }
        return out;
    }
}
