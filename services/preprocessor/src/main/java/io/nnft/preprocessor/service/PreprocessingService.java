package io.nnft.preprocessor.service;

import io.nnft.dataset.DatasetFormatException;
import io.nnft.events.PlansReady;
import io.nnft.events.PreprocessingCompleted;
import io.nnft.events.Problem;
import io.nnft.events.Task;
import io.nnft.planning.Plans;
import io.nnft.planning.PlansException;
import io.nnft.preprocessing.io.CaseWriter;
import io.nnft.preprocessing.io.NiftiCaseReader;
import io.nnft.preprocessing.io.PreprocessingException;
import io.nnft.preprocessing.io.PreprocessingRun;
import io.nnft.preprocessor.config.PreprocessorConfig;
import io.nnft.services.common.EventPublisher;
import io.nnft.services.common.JobFailure;
import io.nnft.services.common.WorkDirs;
import io.nnft.storage.ObjectInfo;
import io.nnft.storage.ObjectLayout;
import io.nnft.storage.ObjectLocation;
import io.nnft.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Preprocesses a job's training cases with nnU-Net's DefaultPreprocessor into
 * {@code jobs/<id>/preprocessed/<configuration>/}, uploading each case as soon as it is done and removing
 * it locally, so neither memory nor disk grows with the dataset. A redelivered {@code PlansReady} re-uses
 * every case already in the bucket (a case counts once its properties file, uploaded last, is there).
 */
@ApplicationScoped
public class PreprocessingService {
    private static final Logger LOG = Logger.getLogger(PreprocessingService.class);
    private static final String NPY = "application/octet-stream";

    private final ObjectStore store;
    private final EventPublisher publisher;
    private final PreprocessorConfig config;

    @Inject
    public PreprocessingService(ObjectStore store, EventPublisher publisher, PreprocessorConfig config) {
        this.store = store;
        this.publisher = publisher;
        this.config = config;
    }

    /** Sub-folder of the preprocessed prefix with the reference labels, as nnU-Net names it. */
    static final String GT_SEGMENTATIONS = "gt_segmentations/";
    /** A classification job's per-case labels, beside the preprocessed cases (libs/classification reads them). */
    public static final String CLASSIFICATION_CSV = "classification.csv";

    public void preprocess(PlansReady ready) {
        String jobId = ready.jobId();
        String configuration = ready.configuration().nnunetName();
        ObjectLocation dataset = store.locate(ready.request().dataset());
        ObjectLocation plansLocation = store.locate(ready.plans());
        String outPrefix = ObjectLayout.preprocessed(jobId, configuration);
        long t0 = System.nanoTime();

        try (WorkDirs.Scratch work = WorkDirs.scratch(config.workDir(), jobId)) {
            Path raw = work.dir().resolve("raw");
            Path out = work.dir().resolve("preprocessed");
            Path plansFile = work.dir().resolve("nnUNetPlans.json");
            store.download(plansLocation.key(), plansFile);
            store.downloadPrefix(dataset.prefix(), raw);
            Plans plans = Plans.read(plansFile);

            Set<String> done = finishedCases(outPrefix);
            io.nnft.dataset.RawDataset rawDataset = io.nnft.dataset.RawDataset.open(raw);
            List<String> all = rawDataset.cases().stream().map(io.nnft.dataset.RawCase::id).toList();
            List<String> todo = all.stream().filter(c -> !done.contains(c)).toList();
            LOG.infof("job %s: %d cases to preprocess for %s, %d already in the bucket", jobId, todo.size(),
                    configuration, done.size());
            AtomicLong bytes = new AtomicLong();
            if (!todo.isEmpty()) {
                PreprocessingRun.Options options = new PreprocessingRun.Options(raw, plansFile, configuration, out,
                        todo, config.threads(), config.casesInFlight(), false);
                PreprocessingRun.run(options, new NiftiCaseReader(plans.imageReaderWriter()),
                        report -> bytes.addAndGet(upload(out, outPrefix, report.identifier())));
            } else {
                Files.createDirectories(out);
                Files.copy(raw.resolve("dataset.json"), out.resolve("dataset.json"));
                Files.copy(plansFile, out.resolve("nnUNetPlans.json"));
            }
            store.putFile(outPrefix + "dataset.json", out.resolve("dataset.json"));
            store.putFile(outPrefix + "nnUNetPlans.json", out.resolve("nnUNetPlans.json"));
            String splits = copySplits(ready, raw, outPrefix);
            if (ready.request().withDefaults().task() == Task.CLASSIFICATION) {
                copyClassLabels(ready, plansLocation, outPrefix);
            }
            uploadReferences(rawDataset, outPrefix);
            long total = store.list(outPrefix).stream().mapToLong(ObjectInfo::size).sum();
            double seconds = (System.nanoTime() - t0) / 1e9;
            LOG.infof("job %s: preprocessed %d cases (%d new, %d MB) in %.1f s", jobId, all.size(), todo.size(),
                    bytes.get() >> 20, seconds);
            publisher.publish(new PreprocessingCompleted(jobId, ready.request(), ready.plans(), ready.datasetJson(),
                    store.locate(outPrefix).uri(), splits, ready.configuration(), all.size(), total, seconds));
        } catch (PreprocessingException | PlansException | DatasetFormatException e) {
            throw new JobFailure("preprocessing failed: " + e.getMessage(), List.of(new Problem(dataset.uri(),
                    "cases nnU-Net's DefaultPreprocessor can read", e.getMessage())), false);
        } catch (IOException e) {
            throw new UncheckedIOException("job " + jobId + ": " + e.getMessage(), e);
        }
    }

    /** Uploads one finished case (properties last: its presence marks the case complete) and frees its disk. */
    private long upload(Path out, String prefix, String caseId) {
        try {
            long n = 0;
            for (Path f : List.of(CaseWriter.dataFile(out, caseId), CaseWriter.segFile(out, caseId),
                    CaseWriter.propertiesFile(out, caseId))) {
                n += Files.size(f);
                store.putFile(prefix + f.getFileName(), f);
                Files.delete(f);
            }
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException("case " + caseId + ": " + e.getMessage(), e);
        }
    }

    /**
     * nnU-Net copies labelsTr into nnUNet_preprocessed/DatasetX/gt_segmentations/ as the references of the final
     * validation. Here they go inside the configuration's prefix ({@code gt_segmentations/<case><file_ending>}),
     * so the trainer gets them with the folder it downloads. Already uploaded ones (a redelivery) are kept.
     */
    private void uploadReferences(io.nnft.dataset.RawDataset rawDataset, String outPrefix) {
        String gtPrefix = outPrefix + GT_SEGMENTATIONS;
        Set<String> there = store.list(gtPrefix).stream().map(ObjectInfo::key).collect(Collectors.toSet());
        for (io.nnft.dataset.RawCase c : rawDataset.cases()) {
            if (c.label() == null || !Files.isRegularFile(c.label())) {
                continue;
            }
            String key = gtPrefix + c.label().getFileName();
            if (!there.contains(key)) {
                store.putFile(key, c.label());
            }
        }
    }

    /** Case properties files at the top of the prefix (gt_segmentations/ and other folders are not cases). */
    private Set<String> finishedCases(String prefix) {
        return store.list(prefix).stream().map(ObjectInfo::key)
                .map(k -> k.substring(prefix.length()))
                .filter(name -> name.endsWith(".json") && !name.contains("/")
                        && !name.equals("dataset.json") && !name.equals("nnUNetPlans.json"))
                .map(name -> name.substring(0, name.length() - ".json".length()))
                .collect(Collectors.toSet());
    }

    /**
     * A classifier's per-case labels, checked by the planner and stored next to the plans, go beside the
     * preprocessed cases ({@code classification.csv}), where the trainer finds them in the folder it downloads.
     * Without segmentations (no labelsTr) the cases are preprocessed as nnU-Net's inference path does: the
     * {@code _seg.npy} then only marks the nonzero crop (0 inside, -1 outside).
     */
    private void copyClassLabels(PlansReady ready, ObjectLocation plans, String outPrefix) {
        String key = plans.key().substring(0, plans.key().lastIndexOf('/') + 1) + CLASSIFICATION_CSV;
        if (!store.exists(key)) {
            throw new JobFailure("no class labels next to the plans at " + store.locate(key).uri(), List.of(new Problem(
                    "/plans", "the planner's checked " + CLASSIFICATION_CSV + " beside " + plans.uri()
                    + " (from the request's classification.labelsFile)", "no object " + key)), false);
        }
        store.put(outPrefix + CLASSIFICATION_CSV, store.getBytes(key), "text/csv");
    }

    /** nnU-Net keeps splits_final.json beside the preprocessed data; the request's or the dataset's. */
    private String copySplits(PlansReady ready, Path raw, String outPrefix) {
        String key = outPrefix + "splits_final.json";
        if (ready.request().splits() != null) {
            ObjectLocation splits = store.locate(ready.request().splits());
            if (!store.exists(splits.key())) {
                throw new JobFailure("no splits file at " + splits.uri(), List.of(new Problem("/splits",
                        "an nnU-Net splits_final.json", "no object " + splits.key())), false);
            }
            store.put(key, store.getBytes(splits.key()), "application/json");
            return store.locate(key).uri();
        }
        Path local = raw.resolve("splits_final.json");
        if (Files.exists(local)) {
            store.putFile(key, local);
            return store.locate(key).uri();
        }
        return null;
    }
}
