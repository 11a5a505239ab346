package io.nnft.preprocessing.io;

import io.nnft.dataset.RawDataset;
import io.nnft.planning.Plans;
import io.nnft.preprocessing.DatasetLabels;
import io.nnft.preprocessing.DefaultPreprocessor;
import io.nnft.preprocessing.Parallel;
import io.nnft.preprocessing.PreprocessedCase;
import io.nnft.preprocessing.PreprocessingPlan;
import io.nnft.preprocessing.RawCase;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * Preprocesses the cases of a raw dataset folder for one configuration into an output folder, the
 * way nnUNetv2_preprocess does, with bounded memory: at most {@code casesInFlight} cases are held at
 * once while every thread works inside them. The output folder also receives dataset.json and the
 * plans (as nnUNetPlans.json) so it describes itself.
 */
public final class PreprocessingRun {
    /**
     * @param cases         identifiers to preprocess; empty for every case
     * @param casesInFlight cases held in memory at once (at least 1)
     * @param skipComplete  keep cases whose output is already complete instead of redoing them
     */
    public record Options(Path raw, Path plans, String configuration, Path output, List<String> cases,
                          int threads, int casesInFlight, boolean skipComplete) {
    }

    /** What one case cost; {@code skipped} when its output already existed. */
    public record CaseReport(String identifier, boolean skipped, double readSeconds, double preprocessSeconds,
                             double writeSeconds, long inputVoxels, long outputVoxels) {
        public double seconds() {
            return readSeconds + preprocessSeconds + writeSeconds;
        }
    }

    private PreprocessingRun() {
    }

    public static List<CaseReport> run(Options o, CaseReader reader, Consumer<CaseReport> onCase) throws IOException {
        RawDataset dataset = RawDataset.open(o.raw());
        Path datasetJsonFile = dataset.datasetJsonFile();
        Plans plans = Plans.read(o.plans());
        PreprocessingPlan plan = PreprocessingPlan.of(plans, o.configuration(),
                DatasetLabels.fromDatasetJson(dataset.datasetJson().raw(), datasetJsonFile.toString()));
        List<RawCaseFiles> cases = select(RawCaseFiles.list(dataset), o.cases(), o.raw());

        Files.createDirectories(o.output());
        Files.copy(datasetJsonFile, o.output().resolve("dataset.json"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(o.plans(), o.output().resolve("nnUNetPlans.json"), StandardCopyOption.REPLACE_EXISTING);

        ForkJoinPool pool = new ForkJoinPool(Math.max(1, o.threads()));
        try {
            DefaultPreprocessor preprocessor = new DefaultPreprocessor(plan, Parallel.on(pool));
            Semaphore inFlight = new Semaphore(Math.max(1, o.casesInFlight()));
            List<Future<CaseReport>> futures = new ArrayList<>();
            for (RawCaseFiles c : cases) {
                inFlight.acquireUninterruptibly();
                if (futures.stream().anyMatch(f -> f.isDone() && failed(f))) {
                    inFlight.release();
                    break;
                }
                futures.add(pool.submit(() -> {
                    try {
                        CaseReport r = one(c, reader, preprocessor, o);
                        if (onCase != null) {
                            onCase.accept(r);
                        }
                        return r;
                    } finally {
                        inFlight.release();
                    }
                }));
            }
            List<CaseReport> reports = new ArrayList<>();
            for (Future<CaseReport> f : futures) {
                try {
                    reports.add(f.get());
                } catch (ExecutionException e) {
                    futures.forEach(g -> g.cancel(true));
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException(cause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            return reports;
        } finally {
            pool.shutdownNow();
        }
    }

    private static boolean failed(Future<?> f) {
        try {
            f.get();
            return false;
        } catch (Exception e) {
            return true;
        }
    }

    private static CaseReport one(RawCaseFiles c, CaseReader reader, DefaultPreprocessor preprocessor, Options o) {
        String id = c.identifier();
        if (o.skipComplete() && CaseWriter.isComplete(o.output(), id)) {
            return new CaseReport(id, true, 0, 0, 0, 0, 0);
        }
        try {
            long t0 = System.nanoTime();
            RawCase raw = reader.read(c);
            long inputVoxels = 1;
            for (int s : raw.shape()) {
                inputVoxels *= s;
            }
            long t1 = System.nanoTime();
            PreprocessedCase out = preprocessor.run(raw);
            raw = null; // let the raw arrays go before writing
            long t2 = System.nanoTime();
            CaseWriter.write(o.output(), out);
            long t3 = System.nanoTime();
            return new CaseReport(id, false, (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9,
                    inputVoxels, out.voxels());
        } catch (PreprocessingException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            throw new PreprocessingException(id, msg, e);
        }
    }

    private static List<RawCaseFiles> select(List<RawCaseFiles> all, List<String> wanted, Path raw) {
        if (wanted == null || wanted.isEmpty()) {
            return all;
        }
        Set<String> w = new LinkedHashSet<>(wanted);
        List<RawCaseFiles> out = new ArrayList<>();
        for (RawCaseFiles c : all) {
            if (w.remove(c.identifier())) {
                out.add(c);
            }
        }
        if (!w.isEmpty()) {
            List<String> known = all.stream().map(RawCaseFiles::identifier).toList();
            throw new IllegalArgumentException("cases " + w + " not found in " + raw + " (it has " + known + ")");
        }
        return out;
    }
}
