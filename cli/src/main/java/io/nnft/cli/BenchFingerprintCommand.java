package io.nnft.cli;

import io.nnft.imageio.NdArray;
import io.nnft.imageio.Nifti;
import io.nnft.imageio.NiftiImage;
import io.nnft.planning.Fingerprint;
import io.nnft.planning.FingerprintExtractor;
import io.nnft.planning.RawFolderCases;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code nnft bench fingerprint}: generates a raw dataset of int16 CT-like volumes (zero border, a body
 * ellipsoid, a labelled blob) and times the fingerprint extraction on it.
 */
@Command(name = "fingerprint", mixinStandardHelpOptions = true,
        description = "Time fingerprint extraction on a generated dataset (default 50 cases of 128^3 int16).")
public final class BenchFingerprintCommand implements Callable<Integer> {
    @Option(names = "--cases", defaultValue = "50", description = "number of cases (default ${DEFAULT-VALUE})")
    int cases;

    @Option(names = "--size", defaultValue = "128", description = "edge length of each cube (default ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--threads", description = "threads (default: all cores)")
    Integer threads;

    @Option(names = "--dir", description = "where to generate the dataset (default: a temporary folder, deleted after)")
    Path dir;

    @Override
    public Integer call() throws IOException {
        if (cases < 1 || size < 8) {
            throw new BadInputException("--cases must be >= 1 and --size >= 8, found " + cases + " and " + size);
        }
        boolean temporary = dir == null;
        Path root = temporary ? Files.createTempDirectory("nnft-bench-fingerprint") : dir;
        try {
            long g0 = System.nanoTime();
            generate(root);
            System.out.printf("generated %d cases of %d^3 int16 in %.1f s%n", cases, size, (System.nanoTime() - g0) / 1e9);
            FingerprintExtractor ex = threads == null ? new FingerprintExtractor() : new FingerprintExtractor(threads);
            long t0 = System.nanoTime();
            Fingerprint fp = ex.extract(RawFolderCases.open(root));
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("fingerprint: %d cases in %.2f s = %.2f cases/s (%d threads; mean %.3f, std %.3f)%n",
                    cases, s, cases / s, threads == null ? Runtime.getRuntime().availableProcessors() : threads,
                    fp.foregroundIntensityPropertiesPerChannel().get(0).mean(),
                    fp.foregroundIntensityPropertiesPerChannel().get(0).std());
            return 0;
        } finally {
            if (temporary) {
                try (Stream<Path> w = Files.walk(root)) {
                    w.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    private void generate(Path root) throws IOException {
        Files.createDirectories(root.resolve("imagesTr"));
        Files.createDirectories(root.resolve("labelsTr"));
        Files.writeString(root.resolve("dataset.json"), "{\"channel_names\": {\"0\": \"CT\"}, "
                + "\"labels\": {\"background\": 0, \"organ\": 1}, \"numTraining\": " + cases
                + ", \"file_ending\": \".nii.gz\", \"name\": \"BenchFingerprint\"}");
        int n = size;
        long[] shape = {n, n, n};
        for (int k = 0; k < cases; k++) {
            Random rnd = new Random(k);
            short[] img = new short[n * n * n];
            short[] seg = new short[n * n * n];
            double c = (n - 1) / 2.0;
            double body = 0.42 * n;
            double blob = 0.12 * n;
            double bx = c + (rnd.nextDouble() - 0.5) * 0.3 * n;
            for (int z = 0; z < n; z++) {
                for (int y = 0; y < n; y++) {
                    for (int x = 0; x < n; x++) {
                        int i = (z * n + y) * n + x;
                        double dz = z - c, dy = y - c, dx = x - c;
                        if (dz * dz + dy * dy + dx * dx < body * body) {
                            img[i] = (short) (40 + rnd.nextInt(80));
                            double ex = x - bx;
                            if (dz * dz + dy * dy + ex * ex < blob * blob) {
                                seg[i] = 1;
                                img[i] = (short) (90 + rnd.nextInt(60));
                            }
                        }
                    }
                }
            }
            String id = String.format("case_%03d", k);
            double[] spacing = {1.5, 0.8, 0.8};
            Nifti.write(root.resolve("imagesTr").resolve(id + "_0000.nii.gz"), NiftiImage.of(NdArray.ofShorts(shape, img), spacing));
            Nifti.write(root.resolve("labelsTr").resolve(id + ".nii.gz"), NiftiImage.of(NdArray.ofShorts(shape, seg), spacing));
        }
    }
}
