package io.nnft.planning;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * nnU-Net's DatasetFingerprintExtractor: every case is read once on a pool of threads and reduced to
 * its crop shape, spacing, relative size and foreground voxels; the foreground statistics then follow
 * nnU-Net's seeded sampling exactly (10e7 samples spread over the cases, see
 * {@link ForegroundIntensityStatistics}).
 */
public final class FingerprintExtractor {
    /** nnU-Net: {@code num_foreground_voxels_for_intensitystats = 10e7} for the whole dataset. */
    public static final double FOREGROUND_SAMPLES_TOTAL = 10e7;

    private final int threads;
    private final double samplesTotal;

    public FingerprintExtractor(int threads) {
        this(threads, FOREGROUND_SAMPLES_TOTAL);
    }

    /** {@code samplesTotal} other than nnU-Net's 10e7 gives other statistics: for tests and experiments only. */
    FingerprintExtractor(int threads, double samplesTotal) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, found " + threads);
        }
        this.threads = threads;
        this.samplesTotal = samplesTotal;
    }

    public FingerprintExtractor() {
        this(Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    public static int samplesPerCase(int numCases) {
        return samplesPerCase(FOREGROUND_SAMPLES_TOTAL, numCases);
    }

    /** Python's {@code int(total // n)}. */
    static int samplesPerCase(double total, int numCases) {
        return (int) Math.floor(total / numCases);
    }

    public Fingerprint extract(CaseSource source) throws IOException {
        int n = source.size();
        if (n == 0) {
            throw new PlansException("fingerprint: the dataset has no training cases");
        }
        int numSamples = samplesPerCase(samplesTotal, n);
        List<CaseFingerprint> cases = new ArrayList<>(n);
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, n), r -> {
            Thread t = new Thread(r, "fingerprint");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<CaseFingerprint>> futures = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                final int idx = i;
                futures.add(pool.submit(() -> CaseAnalyzer.analyze(source.read(idx), numSamples)));
            }
            for (int i = 0; i < n; i++) {
                cases.add(get(futures.get(i), source.caseId(i)));
            }
            int channels = cases.get(0).foreground().size();
            for (CaseFingerprint c : cases) {
                if (c.foreground().size() != channels) {
                    throw new PlansException("case " + c.id() + ": " + c.foreground().size()
                            + " channels, expected " + channels + " like case " + cases.get(0).id());
                }
            }
            // channel by channel from this thread; each spreads its cases over the pool
            List<IntensityProperties> props = new ArrayList<>();
            for (int c = 0; c < channels; c++) {
                props.add(ForegroundIntensityStatistics.compute(cases, c, numSamples, pool));
            }
            int[][] shapes = new int[n][];
            double[][] spacings = new double[n][];
            double[] relative = new double[n];
            for (int i = 0; i < n; i++) {
                shapes[i] = cases.get(i).shapeAfterCrop();
                spacings[i] = cases.get(i).spacing();
                relative[i] = cases.get(i).relativeSizeAfterCropping();
            }
            return new Fingerprint(props, NumpyStats.median(relative), shapes, spacings);
        } finally {
            pool.shutdownNow();
        }
    }

    private static <T> T get(Future<T> f, String what) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fingerprinting " + what, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("fingerprinting " + what + " failed", cause);
        }
    }
}
