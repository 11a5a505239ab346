package io.nnft.trainer.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nnft.events.FineTuneRequested;
import io.nnft.events.JobCancelRequested;
import io.nnft.events.JobFailed;
import io.nnft.events.PreprocessingCompleted;
import io.nnft.events.Problem;
import io.nnft.events.Task;
import io.nnft.events.TrainingCompleted;
import io.nnft.events.TrainingProgress;
import io.nnft.events.TrainingStarted;
import io.nnft.services.common.EventPublisher;
import io.nnft.services.common.JobFailure;
import io.nnft.services.common.JobTracing;
import io.nnft.services.common.WorkDirs;
import io.nnft.storage.ObjectLayout;
import io.nnft.storage.ObjectLocation;
import io.nnft.storage.ObjectStore;
import io.nnft.trainer.config.TrainerConfig;
import io.nnft.trainer.worker.WorkerLine;
import io.nnft.trainer.worker.WorkerSpec;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * One attempt of one job on this replica: inputs down from the bucket (and the model folder, when resuming),
 * the worker JVM up, after every epoch the changed model files up and a {@code TrainingProgress} out, the lease
 * renewed every third of its TTL (a cancellation recorded in the ledger is noticed then too), and at the end
 * the model folder up and one {@code TrainingCompleted} (or {@code JobFailed}) out.
 *
 * <p>It runs inside its attempt's span ({@link TrainingJobs}); each epoch line becomes a span {@code training epoch}
 * below it, from the epoch's start (its {@code epoch_time_s} before the line) to its {@code TrainingProgress},
 * with the epoch and every metric as attributes ({@code nnft.metric.train_loss}, {@code nnft.metric.mean_pseudo_dice},
 * ...). The worker JVM gets the attempt's context as {@code TRACEPARENT} ({@link WorkerLauncher}) and emits no spans.
 */
final class TrainingRun {
    private static final Logger LOG = Logger.getLogger(TrainingRun.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** A classification job's per-case labels, which the preprocessor puts beside the cases. */
    static final String CLASSIFICATION_CSV = "classification.csv";
    static final AttributeKey<Long> EPOCH = AttributeKey.longKey("nnft.epoch");
    static final AttributeKey<Long> EPOCHS = AttributeKey.longKey("nnft.epochs");
    static final AttributeKey<String> DEVICE = AttributeKey.stringKey("nnft.device");
    static final AttributeKey<Boolean> RESUMED = AttributeKey.booleanKey("nnft.resumed");
    /** Attribute name prefix of an epoch's metrics: {@code nnft.metric.<metric name>}. */
    static final String METRIC_PREFIX = "nnft.metric.";

    /** How an attempt ended. */
    enum Outcome {
        /** TrainingCompleted published, ledger completed. */
        COMPLETED,
        /** JobFailed published, ledger failed. */
        FAILED,
        /** JobFailed(cancelled) published, ledger cancelled. */
        CANCELLED,
        /** Another replica claimed a later attempt: nothing published. */
        LOST,
        /** The worker died without a verdict (killed, crashed JVM): the next attempt resumes. */
        CRASHED,
        /** The service is stopping: the lease runs out and a replica resumes the job. */
        INTERRUPTED
    }

    private final Claim claim;
    private final RunningJob job;
    private final ObjectStore store;
    private final EventPublisher publisher;
    private final JobLedger ledger;
    private final TrainerConfig config;
    private final WorkerLauncher launcher;
    private final TrainerMetrics metrics;
    private final ScheduledExecutorService timers;
    private final BooleanSupplier stopping;
    private final Clock clock;
    private final JobTracing tracing;

    private volatile boolean lost;
    private volatile String lastCheckpoint;
    private volatile Integer lastEpoch;
    private volatile String device;
    private String crashDetail = "";

    TrainingRun(Claim claim, RunningJob job, ObjectStore store, EventPublisher publisher, JobLedger ledger,
                TrainerConfig config, WorkerLauncher launcher, TrainerMetrics metrics, ScheduledExecutorService timers,
                BooleanSupplier stopping, Clock clock, JobTracing tracing) {
        this.claim = claim;
        this.job = job;
        this.store = store;
        this.publisher = publisher;
        this.ledger = ledger;
        this.config = config;
        this.launcher = launcher;
        this.metrics = metrics;
        this.timers = timers;
        this.stopping = stopping;
        this.clock = clock;
        this.tracing = tracing;
    }

    String crashDetail() {
        return crashDetail;
    }

    Outcome execute() throws IOException, InterruptedException {
        String jobId = claim.jobId();
        JobState state = ledger.read(jobId).orElseThrow(() -> new IllegalStateException("no ledger entry for " + jobId));
        PreprocessingCompleted event = JobLedger.input(state);
        FineTuneRequested request = event.request().withDefaults();
        Optional<Optional<String>> cancel = ledger.cancelRequest(jobId);
        if (cancel.isPresent()) {
            return cancelled(cancel.get().orElse(null), 0);
        }
        if (claim.attempt() > config.maxAttempts()) {
            String why = "training did not finish in " + config.maxAttempts() + " attempts (nnft.trainer.max-attempts);"
                    + " the last checkpoint is kept in " + store.locate(ObjectLayout.model(jobId)).uri();
            return failed(why, true, List.of(), 0);
        }
        WorkerSpec.Settings settings = WorkerSpecs.settings(request, config.dataThreads(), config.maxSkippedSteps());
        // Before the data is fetched (minutes for a large dataset): the job is training from the claim on.
        // A status event: the broker being away for a minute must not cost the job (as with TrainingProgress).
        try {
            publisher.publish(new TrainingStarted(jobId, claim.attempt(), claim.owner(), settings.epochs()));
        } catch (RuntimeException e) {
            LOG.errorf(e, "job %s: could not publish that attempt %d started", jobId, claim.attempt());
        }
        String fold = request.fold().toString();
        String configuration = (event.configuration() != null ? event.configuration() : request.configuration())
                .nnunetName();

        Path dir = config.workDir().resolve(jobId);
        Path inputs = dir.resolve("inputs");
        Path model = dir.resolve("model");
        Files.createDirectories(dir);
        Inputs in = prepareInputs(event, request, inputs);
        String modelPrefix = ObjectLayout.model(jobId);
        String latestKey = modelPrefix + "fold_" + fold + "/checkpoint_latest.pth";
        boolean resume = storage("look for " + latestKey, () -> store.exists(latestKey));
        WorkDirs.deleteRecursively(model);
        Files.createDirectories(model);
        ModelSync sync = new ModelSync(store, model, modelPrefix);
        if (resume) {
            storage("download " + modelPrefix, () -> store.downloadPrefix(modelPrefix, model));
            sync.markAllUploaded();
            lastCheckpoint = store.locate(latestKey).uri();
        }
        Files.deleteIfExists(job.cancelFile());
        WorkerSpec spec = new WorkerSpec(jobId, in.preprocessed().toString(), in.plans().toString(), configuration, fold,
                model.toString(), in.pretrained() == null ? null : in.pretrained().toString(),
                in.splits() == null ? null : in.splits().toString(), resume, job.cancelFile().toString(),
                config.requireGpu(), settings, WorkerSpecs.classification(request, in.labels() == null ? null
                        : in.labels().toString()));
        Path specFile = dir.resolve("spec-attempt-" + claim.attempt() + ".json");
        MAPPER.writerWithDefaultPrettyPrinter().writeValue(specFile.toFile(), spec);
        Path log = dir.resolve("worker-attempt-" + claim.attempt() + ".log");

        Span.current().setAttribute(RESUMED, resume);
        LOG.infof("job %s: attempt %d %s (fold %s, %s, %d epochs x %d iterations)", jobId, claim.attempt(),
                resume ? "resumes from " + latestKey : "starts", fold, configuration, settings.epochs(),
                settings.iterationsPerEpoch());
        long t0 = System.nanoTime();
        Process worker = launcher.start(specFile, log);
        job.worker(worker);
        long every = Math.max(1000, config.leaseTtl().toMillis() / 3);
        ScheduledFuture<?> renewal = timers.scheduleAtFixedRate(() -> renew(worker), every, every, TimeUnit.MILLISECONDS);
        JsonNode result = null;
        JsonNode error = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                Optional<JsonNode> parsed = WorkerLine.parse(line);
                if (parsed.isEmpty()) {
                    LOG.debugf("job %s worker: %s", jobId, line);
                    continue;
                }
                JsonNode n = parsed.get();
                switch (n.get("type").asText()) {
                    case WorkerLine.STARTED -> {
                        device = n.path("device").asText();
                        job.device(device);
                        Span.current().setAttribute(DEVICE, device);
                        LOG.infof("job %s: worker pid %d trains on %s (%s, GPUs visible: %d)%s", jobId,
                                n.path("pid").asLong(), device, n.path("engine").asText(), n.path("gpuCount").asInt(),
                                n.hasNonNull("traceparent") ? ", trace context " + n.get("traceparent").asText() : "");
                    }
                    case WorkerLine.MESSAGE -> LOG.infof("job %s: %s", jobId, n.path("text").asText());
                    case WorkerLine.EPOCH -> onEpoch(n, sync, latestKey);
                    case WorkerLine.RESULT -> result = n;
                    case WorkerLine.ERROR -> error = n;
                    default -> LOG.warnf("job %s: unknown worker line %s", jobId, line);
                }
            }
        } finally {
            worker.waitFor();
            renewal.cancel(false);
            job.worker(null);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        int exit = worker.exitValue();
        uploadLog(log);
        if (lost) {
            LOG.warnf("job %s: attempt %d was taken over by another replica; stopped", jobId, claim.attempt());
            return Outcome.LOST;
        }
        if (result != null) {
            storage("upload the model folder of " + jobId, () -> sync.sync());
            if (result.path("stopReason").asText().equals("cancelled")) {
                return cancelled(ledger.cancelRequest(jobId).flatMap(r -> r).orElse(null), seconds);
            }
            return completed(event, request, result, state, seconds, fold);
        }
        if (error != null) {
            storage("upload the model folder of " + jobId, () -> sync.sync());
            return failed(error.path("message").asText(), error.path("retriable").asBoolean(true), List.of(), seconds);
        }
        if (stopping.getAsBoolean()) {
            return Outcome.INTERRUPTED;
        }
        crashDetail = "worker exited with code " + exit + " without a result; last lines of " + log.getFileName() + ": "
                + WorkerLauncher.logTail(log);
        storageRun("record the wall time of " + jobId, () -> ledger.addSeconds(claim, seconds));
        return Outcome.CRASHED;
    }

    private void onEpoch(JsonNode n, ModelSync sync, String latestKey) {
        Map<String, Double> m = WorkerLine.readMetrics(n.get("metrics"));
        Span span = epochSpan(n.path("epoch").asInt(), n.path("epochs").asInt(), m);
        try (Scope ignored = span.makeCurrent()) {
            onEpoch(n, m, sync, latestKey);
        } finally {
            span.end();
        }
    }

    /** A span for an epoch the worker reported just now; it began {@code epoch_time_s} ago. */
    private Span epochSpan(int epoch, int epochs, Map<String, Double> metrics) {
        var builder = tracing.tracer().spanBuilder("training epoch").setParent(Context.current());
        Double seconds = metrics.get("epoch_time_s");
        if (seconds != null && Double.isFinite(seconds) && seconds >= 0) {
            builder.setStartTimestamp(clock.instant().minusNanos((long) (seconds * 1e9)));
        }
        Span span = builder.startSpan();
        span.setAttribute(JobTracing.JOB_ID, claim.jobId());
        span.setAttribute(EPOCH, (long) epoch);
        span.setAttribute(EPOCHS, (long) epochs);
        // null (NaN on the wire: no foreground class in any validation patch) stays absent
        metrics.forEach((name, value) -> {
            if (value != null) {
                span.setAttribute(METRIC_PREFIX + name, value);
            }
        });
        return span;
    }

    private void onEpoch(JsonNode n, Map<String, Double> m, ModelSync sync, String latestKey) {
        String jobId = claim.jobId();
        int epoch = n.path("epoch").asInt();
        try {
            List<String> keys = storage("upload epoch " + epoch + " of " + jobId, () -> sync.sync());
            if (keys.contains(latestKey)) {
                lastCheckpoint = store.locate(latestKey).uri();
            }
        } catch (RuntimeException e) {
            // The next epoch uploads again; a resume uses the newest checkpoint that made it.
            LOG.errorf(e, "job %s: could not upload epoch %d's checkpoint", jobId, epoch);
        }
        lastEpoch = epoch;
        job.epoch(epoch);
        metrics.epoch(jobId, epoch, m);
        renew(job.worker());
        try {
            publisher.publish(new TrainingProgress(jobId, epoch, n.path("epochs").asInt(), m,
                    WorkerLine.optDouble(n, "etaSeconds")));
        } catch (RuntimeException e) {
            LOG.errorf(e, "job %s: could not publish the progress of epoch %d", jobId, epoch);
        }
    }

    /** Extends the lease; stops the worker when the job was taken over; passes a recorded cancellation on. */
    private void renew(Process worker) {
        try {
            if (!ledger.renew(claim, lastCheckpoint, lastEpoch, device)) {
                if (!lost) {
                    lost = true;
                    LOG.warnf("job %s: attempt %d lost its claim; stopping the worker", claim.jobId(), claim.attempt());
                }
                if (worker != null) {
                    worker.destroyForcibly();
                }
                return;
            }
            job.renewed(clock.instant());
            if (!Files.exists(job.cancelFile()) && ledger.cancelRequest(claim.jobId()).isPresent()) {
                Files.createFile(job.cancelFile());
            }
        } catch (IOException | RuntimeException e) {
            LOG.warnf("job %s: lease renewal failed (will retry): %s", claim.jobId(), e.getMessage());
        }
    }

    private Outcome completed(PreprocessingCompleted event, FineTuneRequested request, JsonNode result, JobState state,
                              double seconds, String fold) {
        String jobId = claim.jobId();
        ObjectLocation model = store.locate(ObjectLayout.model(jobId));
        String foldPrefix = model.prefix() + "fold_" + fold + "/";
        String finalKey = foldPrefix + "checkpoint_final.pth";
        if (!storage("check " + finalKey, () -> store.exists(finalKey))) {
            return failed("the worker reported success but " + finalKey + " is not in the bucket", true, List.of(), seconds);
        }
        String best = storage("check best", () -> store.exists(foldPrefix + "checkpoint_best.pth"))
                ? store.locate(foldPrefix + "checkpoint_best.pth").uri() : null;
        String latest = storage("check latest", () -> store.exists(foldPrefix + "checkpoint_latest.pth"))
                ? store.locate(foldPrefix + "checkpoint_latest.pth").uri() : null;
        Map<String, Double> finalMetrics = WorkerLine.readMetrics(result.get("finalMetrics"));
        int lastEpochIndex = result.path("lastEpoch").asInt(-1);
        double wall = state.trainingSeconds() + seconds;
        TrainingCompleted done = new TrainingCompleted(jobId, request, model.uri(),
                new TrainingCompleted.Checkpoints(store.locate(finalKey).uri(), best, latest),
                WorkerLine.optDouble(result, "bestEma"), WorkerLine.optDouble(result, "finalValidationDice"),
                finalMetrics.isEmpty() ? null : finalMetrics, lastEpochIndex + 1,
                result.path("stopReason").asText().equals("early_stopping"), wall,
                result.path("device").asText(device == null ? "unknown" : device), bestMetric(result));
        // Publish first, then record: a crash in between repeats the event (at-least-once), never loses it.
        publisher.publish(done);
        storage("finish " + jobId, () -> ledger.finish(claim, JobState.Status.COMPLETED, null, seconds));
        LOG.infof("job %s: completed after %d epochs in %.0f s on %s", jobId, lastEpochIndex + 1, wall, done.device());
        return Outcome.COMPLETED;
    }

    /**
     * The monitored metric at its best: a classifier's {@code metric}/{@code bestMetric}, segmentation's EMA
     * pseudo-Dice; null when no epoch reached one.
     */
    static TrainingCompleted.BestMetric bestMetric(JsonNode result) {
        boolean classifier = result.hasNonNull("metric");
        Double value = WorkerLine.optDouble(result, classifier ? "bestMetric" : "bestEma");
        int epoch = result.path("bestEpoch").asInt(-1);
        if (value == null || epoch < 0) {
            return null;
        }
        return new TrainingCompleted.BestMetric(classifier ? result.get("metric").asText() : "ema_pseudo_dice", value,
                epoch);
    }

    Outcome failed(String reason, boolean retriable, List<Problem> problems, double seconds) {
        String jobId = claim.jobId();
        if (!storage("finish " + jobId, () -> ledger.finish(claim, JobState.Status.FAILED, reason, seconds))) {
            return Outcome.LOST;
        }
        publisher.publish(new JobFailed(jobId, JobFailed.Stage.TRAINING, reason, retriable,
                problems.isEmpty() ? null : problems, null, null, claim.attempt()));
        return Outcome.FAILED;
    }

    private Outcome cancelled(String reason, double seconds) {
        String jobId = claim.jobId();
        if (!storage("finish " + jobId, () -> ledger.finish(claim, JobState.Status.CANCELLED,
                reason == null ? "cancelled" : reason, seconds))) {
            return Outcome.LOST;
        }
        publisher.publish(JobFailed.cancelledBy(new JobCancelRequested(jobId, reason, null), JobFailed.Stage.TRAINING));
        LOG.infof("job %s: cancelled; its latest checkpoint stays in %s", jobId,
                store.locate(ObjectLayout.model(jobId)).uri());
        return Outcome.CANCELLED;
    }

    /** @param labels a classification job's classification.csv (beside the preprocessed cases), else null */
    private record Inputs(Path preprocessed, Path plans, Path splits, Path pretrained, Path labels) {
    }

    /** Downloads the job's inputs once per replica (a marker file says they are complete). */
    private Inputs prepareInputs(PreprocessingCompleted event, FineTuneRequested request, Path dir) throws IOException {
        Path preprocessed = dir.resolve("preprocessed");
        Path plans = dir.resolve("nnUNetPlans.json");
        Path splits = event.splits() == null ? null : dir.resolve("splits_final.json");
        Path pretrainedDir = dir.resolve("pretrained");
        Path complete = dir.resolve(".complete");
        Path pretrained = null;
        String pretrainedKey = request.pretrained() == null ? null : store.locate(request.pretrained()).key();
        if (pretrainedKey != null) {
            pretrained = pretrainedKey.endsWith(".pth") ? pretrainedDir.resolve(Path.of(pretrainedKey).getFileName())
                    : pretrainedDir;
        }
        Path labels = request.task() == Task.CLASSIFICATION ? preprocessed.resolve(CLASSIFICATION_CSV) : null;
        if (Files.exists(complete)) {
            return new Inputs(preprocessed, plans, splits, pretrained, labels);
        }
        WorkDirs.deleteRecursively(dir);
        Files.createDirectories(dir);
        ObjectLocation pre = store.locate(event.preprocessed());
        if (storage("download " + pre.uri(), () -> store.downloadPrefix(pre.prefix(), preprocessed)).isEmpty()) {
            throw new JobFailure("no preprocessed data at " + pre.uri(), List.of(new Problem("/preprocessed",
                    "the preprocessor's output (<case>.npy, <case>_seg.npy, <case>.json)", "no objects")), false);
        }
        if (labels != null && !Files.isRegularFile(labels)) {
            throw new JobFailure("no class labels at " + pre.uri() + CLASSIFICATION_CSV, List.of(new Problem(
                    "/preprocessed", "a classification job's " + CLASSIFICATION_CSV + " (case,label) beside the "
                    + "preprocessed cases, as the preprocessor writes it", "no object " + pre.prefix() + CLASSIFICATION_CSV)),
                    false);
        }
        String plansKey = store.locate(event.plans()).key();
        storageRun("download " + plansKey, () -> store.download(plansKey, plans));
        if (splits != null) {
            String key = store.locate(event.splits()).key();
            storageRun("download " + key, () -> store.download(key, splits));
        }
        if (pretrainedKey != null) {
            if (pretrainedKey.endsWith(".pth")) {
                if (!storage("look for " + pretrainedKey, () -> store.exists(pretrainedKey))) {
                    throw new JobFailure("no pretrained checkpoint at " + request.pretrained(), List.of(new Problem(
                            "/request/pretrained", "an nnU-Net checkpoint (.pth) in the bucket", "no object " + pretrainedKey)),
                            false);
                }
                Path target = pretrained;
                storageRun("download " + pretrainedKey, () -> store.download(pretrainedKey, target));
            } else {
                String prefix = pretrainedKey.endsWith("/") ? pretrainedKey : pretrainedKey + "/";
                if (storage("download " + prefix, () -> store.downloadPrefix(prefix, pretrainedDir)).isEmpty()) {
                    throw new JobFailure("no pretrained model at " + request.pretrained(), List.of(new Problem(
                            "/request/pretrained", "an nnU-Net model folder or .pth in the bucket", "no objects below "
                            + prefix)), false);
                }
            }
        }
        Files.createFile(complete);
        return new Inputs(preprocessed, plans, splits, pretrained, labels);
    }

    private void uploadLog(Path log) {
        try {
            if (Files.exists(log)) {
                store.putFile(ObjectLayout.logs(claim.jobId()) + log.getFileName(), log);
            }
        } catch (RuntimeException e) {
            LOG.warnf("job %s: could not upload %s: %s", claim.jobId(), log.getFileName(), e.getMessage());
        }
    }

    private <T> T storage(String what, java.util.function.Supplier<T> call) {
        return Retry.storage("job " + claim.jobId() + ": " + what, config.storageRetries(), call);
    }

    private void storageRun(String what, Runnable call) {
        Retry.storage("job " + claim.jobId() + ": " + what, config.storageRetries(), call);
    }
}
