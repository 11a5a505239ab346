package io.nnft.classification;

import io.nnft.training.synth.SyntheticDatasetWriter;
import io.nnft.dataset.ClassLabels;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nnft.imageio.NdArray;
import io.nnft.imageio.Nifti;
import io.nnft.imageio.NiftiImage;
import io.nnft.imageio.Npy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A synthetic classification set related to synthetic task A (spheres and rods of one intensity range in
 * Gaussian noise, what the demo encoder was pretrained to segment): every case holds three objects; class
 * {@code present} has rods, class {@code absent} spheres. Same object count, similar volumes and
 * intensities, so only the shape tells the classes apart. Classes alternate with the case index
 * (balanced). Written as an nnU-Net raw dataset (imagesTr, labelsTr with sphere = 1 and rod = 2, dataset.json)
 * plus {@code classification.csv}, or directly preprocessed (z-scored {@code <case>.npy} and {@code <case>.json},
 * no segmentation) for tests that skip preprocessing.
 */
public final class SyntheticClassificationSet {
    public static final String PRESENT = "present";
    public static final String ABSENT = "absent";
    static final int OBJECTS = 3;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One case: image and labels (z, y, x) and its class. */
    public record Case(String id, int[] shape, float[] image, short[] labels, String label) {
    }

    private SyntheticClassificationSet() {
    }

    public static List<Case> generate(int n, int size, double noiseSigma, long seed) {
        if (size < 16) {
            throw new IllegalArgumentException("synthetic classification set: expected size >= 16, found " + size);
        }
        List<Case> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(generateCase(i, size, noiseSigma, seed));
        }
        return out;
    }

    static Case generateCase(int index, int size, double noiseSigma, long seed) {
        SplittableRandom r = new SplittableRandom(seed * 1_000_003L + index);
        boolean present = index % 2 == 0;
        int[] shape = {size, size, size};
        int v = size * size * size;
        float[] img = new float[v];
        short[] lab = new short[v];
        for (int k = 0; k < OBJECTS; k++) {
            boolean rod = present;
            double intensity = 1.5 + 0.5 * r.nextDouble();
            double s = 3 + 2.5 * r.nextDouble();
            int[] c = new int[3];
            for (int d = 0; d < 3; d++) {
                int margin = (int) Math.ceil(s * (rod && d == 2 ? 1.8 : 1.0)) + 1;
                c[d] = margin + r.nextInt(Math.max(1, size - 2 * margin));
            }
            paint(img, lab, shape, rod, c, s, intensity);
        }
        java.util.Random g = new java.util.Random(r.nextLong());
        for (int i = 0; i < v; i++) {
            img[i] += (float) (g.nextGaussian() * noiseSigma);
        }
        return new Case(String.format("cls_%03d", index), shape, img, lab, present ? PRESENT : ABSENT);
    }

    private static void paint(float[] img, short[] lab, int[] shape, boolean rod, int[] c, double s, double intensity) {
        int reach = (int) Math.ceil(s * 1.8) + 1;
        for (int z = Math.max(0, c[0] - reach); z < Math.min(shape[0], c[0] + reach + 1); z++) {
            for (int y = Math.max(0, c[1] - reach); y < Math.min(shape[1], c[1] + reach + 1); y++) {
                for (int x = Math.max(0, c[2] - reach); x < Math.min(shape[2], c[2] + reach + 1); x++) {
                    double dz = z - c[0];
                    double dy = y - c[1];
                    double dx = x - c[2];
                    boolean inside = rod
                            ? Math.abs(dx) <= s * 1.8 && Math.abs(dy) <= s * 0.5 && Math.abs(dz) <= s * 0.5
                            : dz * dz + dy * dy + dx * dx <= s * s;
                    if (inside) {
                        int i = (z * shape[1] + y) * shape[2] + x;
                        img[i] = (float) intensity;
                        lab[i] = (short) (rod ? 2 : 1);
                    }
                }
            }
        }
    }

    /** nnU-Net raw layout plus classification.csv next to dataset.json. */
    public static void writeRaw(Path dir, List<Case> cases) throws IOException {
        Files.createDirectories(dir.resolve("imagesTr"));
        Files.createDirectories(dir.resolve("labelsTr"));
        double[] spacing = {1, 1, 1};
        for (Case c : cases) {
            long[] shape = {c.shape()[0], c.shape()[1], c.shape()[2]};
            Nifti.write(dir.resolve("imagesTr").resolve(c.id() + "_0000.nii.gz"),
                    NiftiImage.of(NdArray.ofFloats(shape, c.image()), spacing));
            Nifti.write(dir.resolve("labelsTr").resolve(c.id() + ".nii.gz"),
                    NiftiImage.of(NdArray.ofShorts(shape, c.labels()), spacing));
        }
        Files.writeString(dir.resolve("dataset.json"), datasetJson(cases.size()).toPrettyString());
        writeCsv(dir.resolve("classification.csv"), cases);
    }

    /** Convenience: generate and write the raw dataset. */
    public static void writeRaw(Path dir, int cases, int size, long seed) throws IOException {
        writeRaw(dir, generate(cases, size, 1.0, seed));
    }

    /** Preprocessed layout without segmentation: z-scored {@code <case>.npy}, {@code <case>.json}, dataset.json, csv. */
    public static void writePreprocessed(Path dir, List<Case> cases) throws IOException {
        Files.createDirectories(dir);
        for (Case c : cases) {
            float[] img = SyntheticDatasetWriter.zScored(c.image());
            int[] s = c.shape();
            Npy.write(dir.resolve(c.id() + ".npy"), NdArray.ofFloats(new long[] {1, s[0], s[1], s[2]}, img));
            ObjectNode p = MAPPER.createObjectNode();
            p.putArray("spacing").add(1.0).add(1.0).add(1.0);
            Files.writeString(dir.resolve(c.id() + ".json"), p.toString());
        }
        Files.writeString(dir.resolve("dataset.json"), datasetJson(cases.size()).toPrettyString());
        writeCsv(dir.resolve("classification.csv"), cases);
    }

    public static ObjectNode datasetJson(int n) {
        ObjectNode d = MAPPER.createObjectNode();
        d.putObject("channel_names").put("0", "synthetic");
        ObjectNode labels = d.putObject("labels");
        labels.put("background", 0);
        labels.put("sphere", 1);
        labels.put("rod", 2);
        d.put("numTraining", n);
        d.put("file_ending", ".nii.gz");
        d.put("name", "SyntheticClassification");
        return d;
    }

    public static void writeCsv(Path csv, List<Case> cases) throws IOException {
        StringBuilder sb = new StringBuilder(ClassLabels.HEADER).append('\n');
        for (Case c : cases) {
            sb.append(c.id()).append(',').append(c.label()).append('\n');
        }
        Files.writeString(csv, sb.toString());
    }
}
