package io.nnft.gateway.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nnft.gateway.JobUpdate;
import io.nnft.storage.ObjectInfo;
import io.nnft.storage.ObjectLayout;
import io.nnft.storage.ObjectStore;
import io.nnft.storage.StorageException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Every event of a job in the order the gateway applied it, with its time and the stage it left the job in: what
 * the dashboard draws (curves from TrainingProgress, the event timeline, the failure). Kept in memory and written
 * through, one small object per event under {@code jobs/<id>/timeline/}, so a restarted gateway (or another
 * replica) reads a job's history back on demand and no write grows with the job's length.
 */
@ApplicationScoped
public class JobTimeline {
    private static final Logger LOG = Logger.getLogger(JobTimeline.class);

    /**
     * One applied event.
     *
     * @param seq   position in the job's timeline, from 0
     * @param event the event name, e.g. TrainingProgress
     * @param id    the CloudEvent id
     * @param time  the CloudEvent's time, else when the gateway applied it
     * @param stage the job's stage after the event
     * @param data  the event's data
     */
    public record Entry(int seq, String event, String id, Instant time, String stage, JsonNode data) {
    }

    private final Map<String, List<Entry>> timelines = new ConcurrentHashMap<>();

    @Inject
    ObjectStore store;

    @Inject
    ObjectMapper mapper;

    /**
     * Appends an applied event (called under the job's lock, in application order); a redelivered event (same
     * CloudEvent id) is recorded once.
     */
    void record(String jobId, JobUpdate update, Instant time) {
        List<Entry> list = entries(jobId);
        synchronized (list) {
            if (update.eventId() != null && list.stream().anyMatch(x -> update.eventId().equals(x.id()))) {
                return;
            }
            Entry e = new Entry(list.size(), update.event(), update.eventId(), time, update.view().stage().wireName(),
                    mapper.valueToTree(update.data()));
            list.add(e);
            try {
                store.put(key(jobId, e.seq()), mapper.writeValueAsBytes(e), "application/json");
            } catch (IOException | StorageException ex) {
                // the in-memory timeline stays whole; a restart before the job ends would miss this entry
                LOG.warnf("could not write %s: %s", key(jobId, e.seq()), ex.getMessage());
            }
        }
    }

    /** The job's events so far, oldest first (read back from the bucket after a restart). */
    public List<Entry> of(String jobId) {
        List<Entry> list = entries(jobId);
        synchronized (list) {
            return List.copyOf(list);
        }
    }

    private List<Entry> entries(String jobId) {
        return timelines.computeIfAbsent(jobId, this::load);
    }

    private List<Entry> load(String jobId) {
        List<Entry> list = new ArrayList<>();
        try {
            List<ObjectInfo> objects = new ArrayList<>(store.list(ObjectLayout.timeline(jobId)));
            objects.sort(Comparator.comparing(ObjectInfo::key));
            for (ObjectInfo o : objects) {
                try {
                    list.add(mapper.readValue(store.getBytes(o.key()), Entry.class));
                } catch (IOException | StorageException e) {
                    LOG.warnf("ignoring unreadable timeline entry %s: %s", o.key(), e.getMessage());
                }
            }
        } catch (StorageException e) {
            LOG.warnf("could not read the timeline of %s: %s", jobId, e.getMessage());
        }
        list.sort(Comparator.comparingInt(Entry::seq));
        return list;
    }

    /** Zero-padded so the bucket lists a job's entries in order. */
    private static String key(String jobId, int seq) {
        return ObjectLayout.timeline(jobId) + String.format("%08d.json", seq);
    }
}
