package io.nnft.gateway.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nnft.events.Decoded;
import io.nnft.events.JobId;
import io.nnft.events.NnftEvent;
import io.nnft.gateway.JobUpdate;
import io.nnft.gateway.JobView;
import io.nnft.gateway.mapping.JobViewReducer;
import io.nnft.storage.ObjectInfo;
import io.nnft.storage.ObjectLayout;
import io.nnft.storage.ObjectStore;
import io.nnft.storage.StorageException;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * Every job's {@link JobView}: kept in memory, written through to {@code jobs/<id>/status.json} after
 * each event so that a restarted gateway (or another replica) answers for jobs whose events it has not
 * read again, and pushed to the SSE listeners of the job.
 */
@ApplicationScoped
public class JobViews {
    private static final Logger LOG = Logger.getLogger(JobViews.class);
    public static final String STATUS_FILE = "status.json";

    private final Map<String, JobView> views = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final Map<String, List<Consumer<JobUpdate>>> listeners = new ConcurrentHashMap<>();

    @Inject
    ObjectStore store;

    @Inject
    ObjectMapper mapper;

    @Inject
    JobTimeline timeline;

    /** Loads every snapshot in the bucket, so GET /jobs lists jobs from before the restart. */
    void loadSnapshots(@Observes StartupEvent start) {
        int loaded = 0;
        try {
            for (ObjectInfo o : store.list("jobs/")) {
                String[] parts = o.key().split("/");
                if (parts.length == 3 && parts[2].equals(STATUS_FILE) && JobId.isValid(parts[1])) {
                    Optional<JobView> view = read(o.key());
                    if (view.isPresent()) {
                        views.putIfAbsent(parts[1], view.get());
                        loaded++;
                    }
                }
            }
            LOG.infof("loaded %d job snapshot(s) from s3://%s/jobs/", loaded, store.bucket());
        } catch (StorageException e) {
            LOG.warnf("could not load job snapshots (jobs are loaded on demand instead): %s", e.getMessage());
        }
    }

    /** The job, from memory or its snapshot; empty when nothing is known about it. */
    public Optional<JobView> find(String jobId) {
        if (!JobId.isValid(jobId)) {
            return Optional.empty();
        }
        JobView v = views.get(jobId);
        if (v != null) {
            return Optional.of(v);
        }
        String key = statusKey(jobId);
        if (!store.exists(key)) {
            return Optional.empty();
        }
        Optional<JobView> loaded = read(key);
        loaded.ifPresent(view -> views.putIfAbsent(jobId, view));
        return Optional.ofNullable(views.get(jobId));
    }

    /** Every known job, newest first. */
    public List<JobView> all() {
        return views.values().stream()
                .sorted(Comparator.comparing(JobView::createdAt, Comparator.nullsLast(Comparator.reverseOrder()))
                        .thenComparing(JobView::jobId))
                .toList();
    }

    /**
     * Records a request the gateway accepted, before its event comes back from the broker (so GET right
     * after POST knows the job), in trace {@code traceId} (null: tracing is off). False when the job id is
     * already taken.
     */
    public boolean register(NnftEvent request, String traceId) {
        synchronized (lock(request.jobId())) {
            if (find(request.jobId()).isPresent()) {
                return false;
            }
            update(request.jobId(), JobViewReducer.apply(null, request, Instant.now(), traceId), null);
            return true;
        }
    }

    /** Applies one consumed event; returns the job's new view. */
    public JobView apply(Decoded decoded) {
        return apply(decoded, null);
    }

    /** Applies one consumed event whose record carried trace {@code traceId} (or null); returns the job's new view. */
    public JobView apply(Decoded decoded, String traceId) {
        String jobId = decoded.jobId();
        JobView next;
        synchronized (lock(jobId)) {
            next = JobViewReducer.apply(find(jobId).orElse(null), decoded, Instant.now(), traceId);
            update(jobId, next, decoded);
        }
        return next;
    }

    /** Changes a known view outside the events (retention marks) and persists it. */
    public void modify(String jobId, UnaryOperator<JobView> change) {
        synchronized (lock(jobId)) {
            find(jobId).ifPresent(current -> update(jobId, change.apply(current), null));
        }
    }

    /** Calls {@code listener} for each later event of the job until the returned handle is closed. */
    public AutoCloseable subscribe(String jobId, Consumer<JobUpdate> listener) {
        List<Consumer<JobUpdate>> list = listeners.computeIfAbsent(jobId, k -> new CopyOnWriteArrayList<>());
        list.add(listener);
        return () -> list.remove(listener);
    }

    public static String statusKey(String jobId) {
        return ObjectLayout.job(jobId) + STATUS_FILE;
    }

    private void update(String jobId, JobView next, Decoded decoded) {
        views.put(jobId, next);
        try {
            store.put(statusKey(jobId), mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(next),
                    "application/json");
        } catch (IOException | StorageException e) {
            // the in-memory view stays right; only a restart before the next event would miss it
            LOG.warnf("could not write %s: %s", statusKey(jobId), e.getMessage());
        }
        if (decoded != null) {
            JobUpdate update = new JobUpdate(decoded.type().eventName(), decoded.id(), decoded.event(), next);
            timeline.record(jobId, update, decoded.time() != null ? decoded.time() : Instant.now());
            for (Consumer<JobUpdate> l : listeners.getOrDefault(jobId, List.of())) {
                try {
                    l.accept(update);
                } catch (RuntimeException e) {
                    LOG.debugf("listener of %s failed: %s", jobId, e);
                }
            }
        }
    }

    private Optional<JobView> read(String key) {
        try {
            return Optional.of(mapper.readValue(store.getBytes(key), JobView.class));
        } catch (IOException | StorageException e) {
            LOG.warnf("ignoring unreadable job snapshot %s: %s", key, e.getMessage());
            return Optional.empty();
        }
    }

    private Object lock(String jobId) {
        return locks.computeIfAbsent(jobId, k -> new Object());
    }
}
