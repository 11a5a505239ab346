package io.nnft.gateway.mapping;

import io.nnft.events.Decoded;
import io.nnft.events.EncoderExported;
import io.nnft.events.FineTuneRequested;
import io.nnft.events.JobCancelRequested;
import io.nnft.events.JobFailed;
import io.nnft.events.NnftEvent;
import io.nnft.events.PlansReady;
import io.nnft.events.PreprocessingCompleted;
import io.nnft.events.TrainingCompleted;
import io.nnft.events.TrainingProgress;
import io.nnft.events.TrainingStarted;
import io.nnft.gateway.JobStage;
import io.nnft.gateway.JobView;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Folds a job's events into its {@link JobView}. Idempotent and order-tolerant: the stage only moves
 * forward by rank, epochs only forward, and request details are taken from whichever event carries
 * them first, so reading a topic again from the beginning (a fresh consumer group, a restart) or
 * reading PlansReady before FineTuneRequested (different topics) gives the same view. The trace id is the first one
 * learnt and then kept: every record of a job carries the same trace.
 */
public final class JobViewReducer {
    private JobViewReducer() {
    }

    /** The view after {@code decoded}; {@code current} may be null (first event of the job). */
    public static JobView apply(JobView current, Decoded decoded, Instant now) {
        return apply(current, decoded, now, null);
    }

    /**
     * As {@link #apply(JobView, Decoded, Instant)} for an event that came in trace {@code traceId} (its record's
     * {@code traceparent}; null when it carried none).
     */
    public static JobView apply(JobView current, Decoded decoded, Instant now, String traceId) {
        Instant at = decoded.time() != null ? decoded.time() : now;
        return apply(current, decoded.event(), at, traceId);
    }

    /** As {@link #apply(JobView, Decoded, Instant)} for an event that happened at {@code at}. */
    public static JobView apply(JobView current, NnftEvent event, Instant at) {
        return apply(current, event, at, null);
    }

    /** As {@link #apply(JobView, NnftEvent, Instant)} for an event that came in trace {@code traceId}, or null. */
    public static JobView apply(JobView current, NnftEvent event, Instant at, String traceId) {
        Draft d = current == null ? Draft.fresh(event.jobId(), at) : Draft.of(current);
        if (d.traceId == null) {
            d.traceId = traceId;
        }
        if (d.updatedAt == null || at.isAfter(d.updatedAt)) {
            d.updatedAt = at;
        }
        if (event instanceof FineTuneRequested r) {
            d.request(r);
            d.advance(JobStage.REQUESTED);
        } else if (event instanceof PlansReady p) {
            d.request(p.request());
            d.datasetName = p.datasetName();
            d.numTrainingCases = p.numTrainingCases();
            d.plansFromPretrained = p.plansFromPretrained();
            d.plans = p.plans();
            d.advance(JobStage.PLANNED);
        } else if (event instanceof PreprocessingCompleted p) {
            d.request(p.request());
            d.advance(JobStage.PREPROCESSED);
        } else if (event instanceof TrainingStarted t) {
            d.epochs = t.epochs() != null ? t.epochs() : d.epochs;
            d.advance(JobStage.TRAINING);
        } else if (event instanceof TrainingProgress t) {
            if (d.epoch == null || t.epoch() == null || t.epoch() >= d.epoch) {
                d.epoch = t.epoch();
                d.epochs = t.epochs() != null ? t.epochs() : d.epochs;
                d.metrics = t.metrics();
                d.etaSeconds = t.etaSeconds();
            }
            d.advance(JobStage.TRAINING);
        } else if (event instanceof TrainingCompleted c) {
            d.request(c.request());
            d.modelFolder = c.modelFolder();
            if (c.checkpoints() != null) {
                Map<String, String> cps = new LinkedHashMap<>();
                putIfPresent(cps, "final", c.checkpoints().finalCheckpoint());
                putIfPresent(cps, "best", c.checkpoints().best());
                putIfPresent(cps, "latest", c.checkpoints().latest());
                d.checkpoints = cps;
            }
            d.bestEmaPseudoDice = c.bestEmaPseudoDice();
            d.bestMetric = c.bestMetric();
            d.finalValidationDice = c.finalValidationDice();
            d.epochsRun = c.epochsRun();
            d.earlyStopped = c.earlyStopped();
            if (c.finalMetrics() != null && !c.finalMetrics().isEmpty()) {
                d.metrics = c.finalMetrics();
            }
            d.advance(JobStage.COMPLETED);
        } else if (event instanceof EncoderExported e) {
            d.exportPrefix = e.exportPrefix();
            d.artifacts = e.artifacts();
            d.advance(JobStage.EXPORTED);
        } else if (event instanceof JobFailed f) {
            if (d.failure == null || !d.stage.terminal()) {
                d.failure = new JobView.Failure(f.stage(), f.reason(), f.retriable(),
                        f.problems() == null || f.problems().isEmpty() ? null : f.problems(), f.eventType());
            }
            d.advance(f.wasCancelled() ? JobStage.CANCELLED : JobStage.FAILED);
        } else if (event instanceof JobCancelRequested c) {
            d.cancelRequested = true;
            if (!d.stage.terminal()) {
                // Stages that are not running the job never answer with JobFailed(cancelled): the
                // request itself ends the job as far as users are concerned.
                d.failure = new JobView.Failure(null, c.reason() == null ? "cancelled" : "cancelled: " + c.reason(),
                        false, null, null);
                d.advance(JobStage.CANCELLED);
            }
        }
        if (d.stage.finished() && d.finishedAt == null) {
            d.finishedAt = at;
        }
        return d.build();
    }

    private static void putIfPresent(Map<String, String> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    /** The mutable copy one event is applied to. */
    private static final class Draft {
        String jobId;
        JobStage stage;
        io.nnft.events.Task task;
        String dataset;
        String pretrained;
        io.nnft.events.Configuration configuration;
        io.nnft.events.Fold fold;
        String datasetName;
        Integer numTrainingCases;
        Boolean plansFromPretrained;
        String plans;
        Integer epoch;
        Integer epochs;
        Map<String, Double> metrics;
        Double etaSeconds;
        Double bestEmaPseudoDice;
        TrainingCompleted.BestMetric bestMetric;
        Double finalValidationDice;
        Integer epochsRun;
        Boolean earlyStopped;
        String modelFolder;
        Map<String, String> checkpoints;
        String exportPrefix;
        java.util.List<EncoderExported.Artifact> artifacts;
        JobView.Failure failure;
        Boolean cancelRequested;
        String traceId;
        Instant createdAt;
        Instant updatedAt;
        Instant finishedAt;
        Instant intermediatesExpiredAt;

        static Draft fresh(String jobId, Instant at) {
            Draft d = new Draft();
            d.jobId = jobId;
            d.stage = JobStage.REQUESTED;
            d.createdAt = at;
            return d;
        }

        static Draft of(JobView v) {
            Draft d = new Draft();
            d.jobId = v.jobId();
            d.stage = v.stage();
            d.task = v.task();
            d.dataset = v.dataset();
            d.pretrained = v.pretrained();
            d.configuration = v.configuration();
            d.fold = v.fold();
            d.datasetName = v.datasetName();
            d.numTrainingCases = v.numTrainingCases();
            d.plansFromPretrained = v.plansFromPretrained();
            d.plans = v.plans();
            d.epoch = v.epoch();
            d.epochs = v.epochs();
            d.metrics = v.metrics();
            d.etaSeconds = v.etaSeconds();
            d.bestEmaPseudoDice = v.bestEmaPseudoDice();
            d.bestMetric = v.bestMetric();
            d.finalValidationDice = v.finalValidationDice();
            d.epochsRun = v.epochsRun();
            d.earlyStopped = v.earlyStopped();
            d.modelFolder = v.modelFolder();
            d.checkpoints = v.checkpoints();
            d.exportPrefix = v.exportPrefix();
            d.artifacts = v.artifacts();
            d.failure = v.failure();
            d.cancelRequested = v.cancelRequested();
            d.traceId = v.traceId();
            d.createdAt = v.createdAt();
            d.updatedAt = v.updatedAt();
            d.finishedAt = v.finishedAt();
            d.intermediatesExpiredAt = v.intermediatesExpiredAt();
            return d;
        }

        void advance(JobStage next) {
            if (next.rank() > stage.rank()) {
                stage = next;
            }
        }

        /** Request details, first come first kept (every later event carries the same request). */
        void request(FineTuneRequested r) {
            if (r == null) {
                return;
            }
            task = task != null ? task : r.task();
            dataset = dataset != null ? dataset : r.dataset();
            pretrained = pretrained != null ? pretrained : r.pretrained();
            configuration = configuration != null ? configuration : r.configuration();
            fold = fold != null ? fold : r.fold();
            if (epochs == null && r.budget() != null) {
                epochs = r.budget().epochs();
            }
        }

        JobView build() {
            return new JobView(jobId, stage, task, dataset, pretrained, configuration, fold, datasetName,
                    numTrainingCases, plansFromPretrained, plans, epoch, epochs, metrics, etaSeconds,
                    bestEmaPseudoDice, bestMetric, finalValidationDice, epochsRun, earlyStopped, modelFolder,
                    checkpoints, exportPrefix, artifacts, failure, cancelRequested, traceId, createdAt, updatedAt,
                    finishedAt, intermediatesExpiredAt);
        }
    }
}
