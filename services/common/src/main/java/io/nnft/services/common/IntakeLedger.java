package io.nnft.services.common;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nnft.events.Decoded;
import io.nnft.events.EventJson;
import io.nnft.events.JobFailed;
import io.nnft.storage.ObjectLayout;
import io.nnft.storage.ObjectStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * One job per id, each event once: which event a stage started a job's work for, in
 * {@code jobs/<jobId>/intake/<stage>.json} (the event's {@code id} and {@code source}, a SHA-256 of its data, and
 * whether the work has ended). The first event claims the job with a conditional put
 * ({@link ObjectStore#putIfAbsent}); Kafka delivers at least once and producers retry, so a stage sees the same
 * event again, and the record tells it apart from another request that reuses the job id.
 *
 * <p>Records of one job share a partition (the key is the job id), so one consumer sees them in order: an entry
 * not marked done means the consumer that claimed it died before the work ended, and the same event may run again.
 */
public final class IntakeLedger {
    private static final String JSON = "application/json";

    /** What a stage does with an event for a job. */
    public enum Verdict {
        /** No event started this job here before: do the work. */
        FIRST,
        /** The same event (or the same data again) whose work never ended: do it again. */
        RESUME,
        /** The same event (or the same data again) whose work has ended: ignore it. */
        DUPLICATE,
        /** The job id was already used here for another request: refuse it, publish nothing for the job. */
        CONFLICT
    }

    /** @param entry the ledger's entry for the job (the earlier one when the verdict is not FIRST) */
    public record Claim(Verdict verdict, Entry entry) {
    }

    /** The event a stage started a job's work for. */
    public record Entry(String eventId, String source, String type, String digest, String receivedAt, boolean done) {
        @Override
        public String toString() {
            return "event " + eventId + " from " + source + " (received " + receivedAt + ")";
        }
    }

    private final ObjectStore store;

    public IntakeLedger(ObjectStore store) {
        this.store = store;
    }

    public static String key(String jobId, JobFailed.Stage stage) {
        return ObjectLayout.job(jobId) + "intake/" + stage.name().toLowerCase(java.util.Locale.ROOT) + ".json";
    }

    /** What counts as "the same" when a job's event comes again. */
    public enum Once {
        /**
         * One request per job id (the planner): the same event, or the same data under a new event id, is the same
         * request; other data under the job id is another request and a {@link Verdict#CONFLICT}.
         */
        PER_JOB,
        /**
         * Each event once (a later stage): the same event ({@code id} + {@code source}) again is a duplicate; another
         * event for the job (its stage upstream published again) is new work and takes the entry over. The stage's
         * own per-case markers make that work cheap.
         */
        PER_EVENT
    }

    /** Claims {@code decoded}'s job at {@code stage} for it, or says why not. */
    public Claim claim(Decoded decoded, JobFailed.Stage stage, Once once) {
        String key = key(decoded.jobId(), stage);
        Entry mine = new Entry(decoded.id(), decoded.source(), decoded.type().cloudEventType(), digest(decoded),
                Instant.now().toString(), false);
        if (store.putIfAbsent(key, write(mine), JSON)) {
            return new Claim(Verdict.FIRST, mine);
        }
        Entry earlier = read(store.getBytes(key), key);
        if (once == Once.PER_EVENT) {
            if (earlier.eventId().equals(mine.eventId()) && earlier.source().equals(mine.source())) {
                return new Claim(earlier.done() ? Verdict.DUPLICATE : Verdict.RESUME, earlier);
            }
            store.put(key, write(mine), JSON);
            return new Claim(Verdict.FIRST, mine);
        }
        if (!earlier.digest().equals(mine.digest())) {
            // another request under this job id (or a producer that reused an event id for other data)
            return new Claim(Verdict.CONFLICT, earlier);
        }
        // the same event redelivered, or the same request published again under a new event id
        return new Claim(earlier.done() ? Verdict.DUPLICATE : Verdict.RESUME, earlier);
    }

    /** Records that the work for the claimed event has ended (processed, or reported as failed). */
    public void done(Decoded decoded, JobFailed.Stage stage, Entry claimed) {
        Entry done = new Entry(claimed.eventId(), claimed.source(), claimed.type(), claimed.digest(),
                claimed.receivedAt(), true);
        store.put(key(decoded.jobId(), stage), write(done), JSON);
    }

    /** SHA-256 of the event's data as nnft writes it (field order and defaults as the record gives them). */
    static String digest(Decoded decoded) {
        try {
            byte[] data = EventJson.mapper().writeValueAsBytes(decoded.event());
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot serialize " + decoded.type().eventName() + " of job "
                    + decoded.jobId() + ": " + e.getOriginalMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static byte[] write(Entry entry) {
        ObjectNode node = EventJson.mapper().createObjectNode();
        node.put("eventId", entry.eventId());
        node.put("source", entry.source());
        node.put("type", entry.type());
        node.put("digest", entry.digest());
        node.put("receivedAt", entry.receivedAt());
        node.put("done", entry.done());
        return node.toPrettyString().getBytes(StandardCharsets.UTF_8);
    }

    private static Entry read(byte[] json, String key) {
        try {
            JsonNode n = EventJson.mapper().readTree(json);
            if (n != null && n.path("eventId").isTextual() && n.path("source").isTextual() && n.path("digest").isTextual()) {
                return new Entry(n.get("eventId").asText(), n.get("source").asText(), n.path("type").asText(""),
                        n.get("digest").asText(), n.path("receivedAt").asText(""), n.path("done").asBoolean(false));
            }
        } catch (java.io.IOException e) {
            // reported below like any other unreadable entry
        }
        throw new IllegalStateException(key + ": expected an intake entry {eventId, source, digest, done}, found "
                + new String(json, 0, Math.min(json.length, 200), StandardCharsets.UTF_8));
    }
}
