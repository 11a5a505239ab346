package io.nnft.planner.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nnft.dataset.ClassLabels;
import io.nnft.dataset.DatasetProblem;
import io.nnft.dataset.DatasetVerifier;
import io.nnft.dataset.VerificationReport;
import io.nnft.events.FineTuneRequested;
import io.nnft.events.PlansReady;
import io.nnft.events.Problem;
import io.nnft.events.Task;
import io.nnft.planner.config.PlannerConfig;
import io.nnft.planning.CompatibilityReport;
import io.nnft.planning.ExperimentPlanner;
import io.nnft.planning.Fingerprint;
import io.nnft.planning.FingerprintExtractor;
import io.nnft.planning.PlannerInputs;
import io.nnft.planning.Plans;
import io.nnft.planning.PlansException;
import io.nnft.planning.PlansTransfer;
import io.nnft.planning.RawFolderCases;
import io.nnft.services.common.EventPublisher;
import io.nnft.services.common.JobFailure;
import io.nnft.services.common.WorkDirs;
import io.nnft.storage.ObjectLayout;
import io.nnft.storage.ObjectLocation;
import io.nnft.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Turns a fine-tune request into plans: fetch the raw dataset, verify it like nnU-Net's
 * {@code --verify_dataset_integrity}, extract the fingerprint, then plan it (or take over a pretrained
 * model's plans with a compatibility report). Writes everything under {@code jobs/<id>/plans/} and
 * publishes {@code PlansReady}. The dataset is streamed to local disk and read one case at a time.
 */
@ApplicationScoped
public class PlanningService {
    private static final Logger LOG = Logger.getLogger(PlanningService.class);
    private static final String JSON = "application/json";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Where the checked class labels go next to the plans; the preprocessor carries them on. */
    public static final String CLASSIFICATION_CSV = "classification.csv";

    private final ObjectStore store;
    private final EventPublisher publisher;
    private final PlannerConfig config;

    @Inject
    public PlanningService(ObjectStore store, EventPublisher publisher, PlannerConfig config) {
        this.store = store;
        this.publisher = publisher;
        this.config = config;
    }

    public void plan(FineTuneRequested received) {
        FineTuneRequested request = received.withDefaults();
        String jobId = request.jobId();
        ObjectLocation dataset = store.locate(request.dataset());
        String configuration = request.configuration().nnunetName();
        store.put(ObjectLayout.request(jobId), io.nnft.events.EventCodec.encodeData(request), JSON);

        try (WorkDirs.Scratch work = WorkDirs.scratch(config.workDir(), jobId)) {
            Path raw = work.dir().resolve(lastSegment(dataset));
            if (store.downloadPrefix(dataset.prefix(), raw).isEmpty()) {
                throw new JobFailure("no dataset at " + dataset.uri(), List.of(new Problem("/dataset",
                        "an nnU-Net raw dataset (dataset.json, imagesTr/, labelsTr/)",
                        "no objects below " + dataset.uri())), false);
            }
            boolean classification = request.task() == Task.CLASSIFICATION;
            // a classifier needs class labels per case, not segmentations: labelsTr is optional then
            boolean withoutSegmentations = classification && !Files.isDirectory(raw.resolve("labelsTr"));
            verify(raw, dataset, withoutSegmentations);
            byte[] classLabels = classification ? classLabels(request, dataset, raw) : null;
            RawFolderCases cases = RawFolderCases.open(raw);
            Fingerprint fingerprint = new FingerprintExtractor(config.threads())
                    .extract(withoutSegmentations ? cases.imagesOnly() : cases);
            byte[] datasetJsonBytes = java.nio.file.Files.readAllBytes(raw.resolve("dataset.json"));
            ObjectNode datasetJson = (ObjectNode) MAPPER.readTree(datasetJsonBytes);
            String datasetName = PlannerInputs.defaultDatasetName(raw.resolve("dataset.json"), datasetJson);
            PlannerInputs inputs = PlannerInputs.of(datasetJson, dataset.uri() + "dataset.json", fingerprint, datasetName);

            String prefix = ObjectLayout.plans(jobId);
            Plans plans = request.pretrained() == null ? new ExperimentPlanner(inputs).plan()
                    : transfer(request, inputs, configuration, prefix);
            if (!plans.hasConfiguration(configuration)) {
                throw new JobFailure("the plans have no configuration " + configuration, List.of(new Problem(
                        "/configuration", "one of " + plans.configurationNames(), configuration)), false);
            }
            store.put(prefix + "dataset_fingerprint.json", utf8(fingerprint.toJsonString()), JSON);
            store.put(prefix + "dataset.json", datasetJsonBytes, JSON);
            store.put(prefix + "nnUNetPlans.json", utf8(plans.toJsonString()), JSON);
            if (classLabels != null) {
                store.put(prefix + CLASSIFICATION_CSV, classLabels, "text/csv");
            }
            LOG.infof("job %s: planned %s (%d cases) for %s", jobId, datasetName, fingerprint.numberOfCases(),
                    configuration);
            publisher.publish(new PlansReady(jobId, request, datasetName, store.locate(prefix + "nnUNetPlans.json").uri(),
                    store.locate(prefix + "dataset.json").uri(), store.locate(prefix + "dataset_fingerprint.json").uri(),
                    request.configuration(), fingerprint.numberOfCases(), request.pretrained() != null));
        } catch (IOException e) {
            throw new UncheckedIOException("job " + jobId + ": " + e.getMessage(), e);
        } catch (PlansException e) {
            throw new JobFailure("planning failed: " + e.getMessage());
        }
    }

    private void verify(Path raw, ObjectLocation dataset, boolean withoutSegmentations) throws IOException {
        VerificationReport report = new DatasetVerifier(config.threads(), config.maxBytesPerFile()).verify(raw);
        List<DatasetProblem> errors = report.errors().stream()
                .filter(p -> !(withoutSegmentations && isMissingSegmentation(p))).toList();
        if (!errors.isEmpty()) {
            List<Problem> problems = errors.stream().map(p -> toProblem(p, dataset)).toList();
            throw new JobFailure("dataset " + dataset.uri() + " failed verification with " + problems.size()
                    + " problem(s): " + problems.get(0), problems, false);
        }
    }

    /** The verifier's complaints about an absent labelsTr (the folder, or a case's label file). */
    private static boolean isMissingSegmentation(DatasetProblem p) {
        return p.what().equals("labelsTr folder") || p.what().startsWith("label file of case");
    }

    /**
     * The request's per-case class labels, checked against the cases of imagesTr. {@code labelsFile} is relative
     * to the dataset prefix unless it is a full {@code s3://} location (which must be inside our bucket).
     */
    private byte[] classLabels(FineTuneRequested request, ObjectLocation dataset, Path raw) throws IOException {
        String labelsFile = request.classification().labelsFile();
        ObjectLocation location = labelsFile.toLowerCase(java.util.Locale.ROOT).startsWith("s3://")
                ? store.locate(labelsFile) : store.locate(dataset.prefix() + labelsFile);
        if (!store.exists(location.key())) {
            throw new JobFailure("no class labels at " + location.uri(), List.of(new Problem(
                    "/classification/labelsFile", "a CSV of 'case,label' lines at " + location.uri()
                    + " (relative to the dataset unless an s3:// location)", "no object " + location.key())), false);
        }
        byte[] csv = store.getBytes(location.key());
        List<String> ids = io.nnft.dataset.RawDataset.open(raw).cases().stream().map(io.nnft.dataset.RawCase::id).toList();
        ClassLabels.Parsed parsed = ClassLabels.parse(csv, location.uri(), ids);
        if (!parsed.ok()) {
            List<Problem> problems = parsed.problems().stream()
                    .map(p -> new Problem(p.where(), p.expected(), p.found())).toList();
            throw new JobFailure("class labels " + location.uri() + " are not usable: " + problems.get(0)
                    + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : ""), problems, false);
        }
        ClassLabels labels = parsed.labels();
        LOG.infof("job %s: %d labelled cases in %d classes %s", request.jobId(), labels.cases().size(),
                labels.numClasses(), labels.classNames());
        return csv;
    }

    private static Problem toProblem(DatasetProblem p, ObjectLocation dataset) {
        return new Problem(dataset.uri() + "/" + p.where(), p.expected(), p.found() + " (" + p.what() + ")");
    }

    /** Takes over the pretrained plans; the compatibility report is stored whether or not they fit. */
    private Plans transfer(FineTuneRequested request, PlannerInputs inputs, String configuration, String prefix) {
        ObjectLocation model = modelFolder(store.locate(request.pretrained()));
        String plansKey = model.resolve("plans.json");
        if (!store.exists(plansKey)) {
            throw new JobFailure("no pretrained plans at " + model.uri(), List.of(new Problem("/pretrained",
                    "an nnU-Net model folder with plans.json", "no object " + plansKey)), false);
        }
        Plans pretrained = Plans.parse(new String(store.getBytes(plansKey), StandardCharsets.UTF_8), plansKey);
        String djKey = model.resolve("dataset.json");
        ObjectNode pretrainedDatasetJson = store.exists(djKey) ? readObject(store.getBytes(djKey), djKey) : null;
        PlansTransfer.Result result = PlansTransfer.transfer(pretrained, pretrainedDatasetJson, inputs, null, configuration);
        CompatibilityReport report = result.report();
        store.put(prefix + "compatibility_report.json", utf8(report.toJsonString()), JSON);
        if (!report.compatible()) {
            List<Problem> problems = report.mismatches().stream()
                    .map(f -> new Problem(f.key(), "pretrained " + f.pretrained() + " (" + f.message() + ")",
                            "downstream " + f.downstream()))
                    .toList();
            throw new JobFailure("pretrained model " + model.uri() + " does not fit dataset " + inputs.datasetName()
                    + ": " + problems.size() + " mismatch(es)", problems, false);
        }
        return result.plans();
    }

    /**
     * The model folder of a pretrained location: the folder itself, or for one checkpoint
     * ({@code <model>/fold_N/checkpoint_*.pth}) the folder above its fold, where nnU-Net keeps plans.json.
     */
    static ObjectLocation modelFolder(ObjectLocation pretrained) {
        String key = pretrained.key();
        if (!key.endsWith(".pth")) {
            return pretrained;
        }
        String folder = key.substring(0, key.lastIndexOf('/') + 1);
        String withoutSlash = folder.isEmpty() ? "" : folder.substring(0, folder.length() - 1);
        String last = withoutSlash.substring(withoutSlash.lastIndexOf('/') + 1);
        if (last.startsWith("fold_")) {
            folder = withoutSlash.substring(0, withoutSlash.lastIndexOf('/') + 1);
        }
        return new ObjectLocation(pretrained.bucket(), folder);
    }

    private static ObjectNode readObject(byte[] json, String key) {
        try {
            if (MAPPER.readTree(json) instanceof ObjectNode o) {
                return o;
            }
        } catch (IOException e) {
            throw new JobFailure(key + ": expected a JSON object, found unparsable JSON (" + e.getMessage() + ")");
        }
        throw new JobFailure(key + ": expected a JSON object");
    }

    private static String lastSegment(ObjectLocation location) {
        String k = location.key().endsWith("/") ? location.key().substring(0, location.key().length() - 1) : location.key();
        return k.substring(k.lastIndexOf('/') + 1);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
