package io.nnft.gateway.service;

import io.nnft.gateway.JobView;
import io.nnft.gateway.config.GatewayConfig;
import io.nnft.storage.ObjectInfo;
import io.nnft.storage.ObjectLayout;
import io.nnft.storage.ObjectStore;
import io.nnft.storage.StorageException;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Retention: once a job has finished (completed, exported, failed or cancelled) for longer than
 * {@code nnft.gateway.retention}, its intermediate data goes: {@code jobs/<id>/preprocessed/} and every
 * {@code checkpoint_latest.pth} (the resume point of a training that will not resume). Plans, final and
 * best checkpoints, logs and the export stay.
 */
@ApplicationScoped
public class RetentionSweeper {
    private static final Logger LOG = Logger.getLogger(RetentionSweeper.class);
    static final String LATEST_CHECKPOINT = "checkpoint_latest.pth";

    @Inject
    JobViews views;

    @Inject
    ObjectStore store;

    @Inject
    GatewayConfig config;

    Clock clock = Clock.systemUTC();

    @Scheduled(every = "${nnft.gateway.retention-check}", delayed = "${nnft.gateway.retention-check}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        sweep();
    }

    /** Expires what is due now; returns the ids of the jobs whose intermediates were deleted. */
    public List<String> sweep() {
        Instant cutoff = clock.instant().minus(config.retention());
        List<String> expired = new ArrayList<>();
        for (JobView v : views.all()) {
            if (v.stage().finished() && v.finishedAt() != null && v.intermediatesExpiredAt() == null
                    && !v.finishedAt().isAfter(cutoff)) {
                try {
                    int deleted = expire(v.jobId());
                    Instant now = clock.instant();
                    views.modify(v.jobId(), current -> current.withIntermediatesExpiredAt(now));
                    expired.add(v.jobId());
                    LOG.infof("retention: job %s finished at %s, deleted %d intermediate object(s)", v.jobId(),
                            v.finishedAt(), deleted);
                } catch (StorageException e) {
                    LOG.warnf("retention: job %s: %s (will retry)", v.jobId(), e.getMessage());
                }
            }
        }
        return expired;
    }

    private int expire(String jobId) {
        int deleted = store.deletePrefix(ObjectLayout.job(jobId) + "preprocessed/");
        for (ObjectInfo o : store.list(ObjectLayout.model(jobId))) {
            if (o.key().endsWith("/" + LATEST_CHECKPOINT)) {
                store.delete(o.key());
                deleted++;
            }
        }
        return deleted;
    }
}
