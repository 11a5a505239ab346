package io.nnft.dataset;

import io.nnft.imageio.Nifti;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * nnU-Net's {@code verify_dataset_integrity} for a raw dataset, reporting every problem instead of
 * stopping at the first: dataset.json valid, numTraining equal to the cases found, every case with
 * every channel and a label, shapes and spacings agreeing, no NaN, label values declared. Cases are
 * checked one per thread, each reading one file at a time, so hundreds of cases fit in little memory.
 */
public final class DatasetVerifier {
    private final int threads;
    private final long maxBytesPerFile;

    /** One thread per available core, the reader's default size limit. */
    public DatasetVerifier() {
        this(Runtime.getRuntime().availableProcessors(), Nifti.DEFAULT_MAX_BYTES);
    }

    public DatasetVerifier(int threads, long maxBytesPerFile) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, found " + threads);
        }
        this.threads = threads;
        this.maxBytesPerFile = maxBytesPerFile;
    }

    /** Verifies the raw dataset folder {@code root}. Problems opening it become problems of the report. */
    public VerificationReport verify(Path root) throws IOException {
        RawDataset ds;
        try {
            ds = RawDataset.open(root);
        } catch (DatasetFormatException e) {
            return new VerificationReport(root, 0, e.problems());
        }
        return verify(ds);
    }

    public VerificationReport verify(RawDataset ds) throws IOException {
        Path root = ds.root().toAbsolutePath();
        DatasetJson dj = ds.datasetJson();
        List<DatasetProblem> problems = new ArrayList<>();
        String djWhere = root.relativize(ds.datasetJsonFile().toAbsolutePath()).toString();
        if (ds.cases().size() != dj.numTraining()) {
            problems.add(DatasetProblem.error(djWhere + " key numTraining", "number of training cases",
                    dj.numTraining() + " (numTraining)", ds.cases().size() + " cases in imagesTr"));
        }
        for (Path stray : ds.strayImageFiles()) {
            problems.add(DatasetProblem.error(root.relativize(stray.toAbsolutePath()).toString(), "image file name",
                    "<case>_<XXXX>" + dj.fileEnding() + " (4-digit channel index)", stray.getFileName().toString()));
        }
        if (!ds.hasLabelsFolder()) {
            problems.add(DatasetProblem.error("labelsTr", "labelsTr folder", "a directory of <case>" + dj.fileEnding()
                    + " files", "none"));
        }
        for (Path stray : ds.strayLabelFiles()) {
            problems.add(DatasetProblem.warning(root.relativize(stray.toAbsolutePath()).toString(), "label file",
                    "a matching case in imagesTr", "no images for it"));
        }
        if (!dj.fileEnding().equals(".nii.gz") && !dj.fileEnding().equals(".nii")) {
            // other formats (nrrd, mha, png, tif) need readers nnft does not have: say so once, not per file
            problems.add(DatasetProblem.error(djWhere + " key file_ending", "image format",
                    "\".nii.gz\" or \".nii\" (nnft reads NIfTI only)", "\"" + dj.fileEnding() + "\""));
            return new VerificationReport(root, ds.cases().size(), problems);
        }
        CaseVerifier cv = new CaseVerifier(root, dj, maxBytesPerFile);
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, Math.max(1, ds.cases().size())), r -> {
            Thread t = new Thread(r, "verify-dataset");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<List<DatasetProblem>>> futures = new ArrayList<>();
            for (RawCase c : ds.cases()) {
                futures.add(pool.submit(() -> cv.check(absolute(c))));
            }
            for (Future<List<DatasetProblem>> f : futures) {
                problems.addAll(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("dataset verification interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof OutOfMemoryError oom) {
                throw oom;
            }
            throw new IOException("dataset verification failed: " + cause, cause);
        } finally {
            pool.shutdownNow();
        }
        return new VerificationReport(root, ds.cases().size(), problems);
    }

    private static RawCase absolute(RawCase c) {
        return new RawCase(c.id(), c.images().stream().map(Path::toAbsolutePath).toList(), c.label().toAbsolutePath());
    }
}
