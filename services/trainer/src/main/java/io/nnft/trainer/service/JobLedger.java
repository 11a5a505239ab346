package io.nnft.trainer.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nnft.events.EventCodec;
import io.nnft.events.PreprocessingCompleted;
import io.nnft.storage.ObjectInfo;
import io.nnft.storage.ObjectLayout;
import io.nnft.storage.ObjectStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The training ledger in object storage. Ownership of attempt n of a job belongs to whoever creates
 * {@code jobs/<id>/claims/attempt-<n>.json} first ({@link ObjectStore#putIfAbsent}, S3 {@code If-None-Match: *}),
 * so two replicas never train the same attempt. An attempt's owner renews its lease in {@code state.json};
 * once the lease has expired (or was never taken: a registered job) any replica may claim attempt n+1, and
 * the old owner learns at its next renewal that it lost the job. The claims are the truth; state.json is
 * the owner's report and may briefly lag.
 *
 * <p>Jobs not finished yet are also listed under {@code trainer/active/<jobId>} so that a scan reads a handful
 * of keys instead of every object below {@code jobs/}.
 */
public final class JobLedger {
    static final String ACTIVE_PREFIX = "trainer/active/";
    private static final Pattern CLAIM = Pattern.compile("attempt-(\\d+)\\.json$");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String JSON = "application/json";

    private final ObjectStore store;
    private final String owner;
    private final Duration ttl;
    private final Clock clock;

    public JobLedger(ObjectStore store, String owner, Duration ttl, Clock clock) {
        this.store = store;
        this.owner = owner;
        this.ttl = ttl;
        this.clock = clock;
    }

    public String owner() {
        return owner;
    }

    public Duration ttl() {
        return ttl;
    }

    public static String claimKey(String jobId, int attempt) {
        return ObjectLayout.job(jobId) + "claims/attempt-" + attempt + ".json";
    }

    public static String cancelKey(String jobId) {
        return ObjectLayout.job(jobId) + "cancel.json";
    }

    public Optional<JobState> read(String jobId) {
        String key = ObjectLayout.state(jobId);
        if (!store.exists(key)) {
            return Optional.empty();
        }
        return Optional.of(parse(store.getBytes(key), key));
    }

    private static JobState parse(byte[] json, String key) {
        try {
            return MAPPER.readValue(json, JobState.class);
        } catch (IOException e) {
            throw new IllegalStateException(key + ": expected a trainer ledger entry (JSON), could not read it: "
                    + e.getMessage(), e);
        }
    }

    private void write(JobState s) {
        try {
            store.put(ObjectLayout.state(s.jobId()), MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(s), JSON);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize the ledger entry of " + s.jobId(), e);
        }
    }

    /**
     * Records a job as requested unless the ledger has an entry already (first writer wins); returns the
     * entry as it now is.
     */
    public JobState register(PreprocessingCompleted event) {
        return register(event, null);
    }

    /** As {@link #register(PreprocessingCompleted)}, recording the job's trace context (W3C traceparent, or null). */
    public JobState register(PreprocessingCompleted event, String traceparent) {
        String jobId = event.jobId();
        Optional<JobState> existing = read(jobId);
        if (existing.isPresent()) {
            return existing.get();
        }
        JsonNode input = readTree(EventCodec.encodeData(event));
        Instant now = clock.instant();
        JobState s = new JobState(jobId, JobState.Status.REQUESTED, 0, null, null, null, null, 0, null, null,
                now.toString(), input, traceparent);
        store.put(ACTIVE_PREFIX + jobId, new byte[0], JSON);
        try {
            byte[] bytes = MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(s);
            if (store.putIfAbsent(ObjectLayout.state(jobId), bytes, JSON)) {
                return s;
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize the ledger entry of " + jobId, e);
        }
        return read(jobId).orElseThrow();
    }

    /** The job's request as recorded at registration. */
    public static PreprocessingCompleted input(JobState s) {
        return EventCodec.decodeData(s.input(), PreprocessingCompleted.class);
    }

    /** The highest attempt claimed so far (0: none). */
    public int highestClaim(String jobId) {
        int max = 0;
        for (ObjectInfo o : store.list(ObjectLayout.job(jobId) + "claims/")) {
            Matcher m = CLAIM.matcher(o.key());
            if (m.find()) {
                max = Math.max(max, Integer.parseInt(m.group(1)));
            }
        }
        return max;
    }

    /** When the lease of the job's newest attempt ends (EPOCH: never claimed). */
    public Instant leaseExpiry(String jobId, JobState s, int highest) {
        if (highest == 0) {
            return Instant.EPOCH;
        }
        if (s.attempt() == highest && s.leaseUntil() != null) {
            return s.leaseExpiry();
        }
        // The claimant has not reported in state.json yet: its claim holds for one TTL.
        JsonNode claim = readTree(store.getBytes(claimKey(jobId, highest)));
        return Instant.parse(claim.path("leaseUntil").asText(Instant.EPOCH.toString()));
    }

    /**
     * Claims the job's next attempt if it is claimable now: not finished, and never claimed, or its lease
     * expired, or (after a restart with a stable owner id) held by this owner but not running here.
     */
    public Optional<Claim> claimNext(String jobId, boolean runningHere) {
        Optional<JobState> state = read(jobId);
        if (state.isEmpty() || runningHere) {
            return Optional.empty();
        }
        OptionalInt next = nextAttempt(jobId, state.get());
        return next.isEmpty() ? Optional.empty() : claim(jobId, next.getAsInt(), state.get());
    }

    /** Whether {@link #claimNext} would try to claim the job now (the engine self-check runs before a claim). */
    public boolean claimable(String jobId) {
        Optional<JobState> state = read(jobId);
        return state.isPresent() && nextAttempt(jobId, state.get()).isPresent();
    }

    private OptionalInt nextAttempt(String jobId, JobState s) {
        if (s.status().terminal()) {
            return OptionalInt.empty();
        }
        int highest = highestClaim(jobId);
        boolean mineFromBefore = highest > 0 && owner.equals(claimOwner(jobId, highest));
        if (!mineFromBefore && clock.instant().isBefore(leaseExpiry(jobId, s, highest))) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(highest + 1);
    }

    /** After this owner's attempt ended without a verdict (the worker crashed), claims the next one. */
    public Optional<Claim> claimAfter(Claim previous) {
        Optional<JobState> s = read(previous.jobId());
        if (s.isEmpty() || s.get().status().terminal()) {
            return Optional.empty();
        }
        return claim(previous.jobId(), previous.attempt() + 1, s.get());
    }

    private Optional<Claim> claim(String jobId, int attempt, JobState s) {
        Instant now = clock.instant();
        ObjectNode claim = MAPPER.createObjectNode();
        claim.put("jobId", jobId);
        claim.put("attempt", attempt);
        claim.put("owner", owner);
        claim.put("claimedAt", now.toString());
        claim.put("leaseUntil", now.plus(ttl).toString());
        if (!store.putIfAbsent(claimKey(jobId, attempt), claim.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                JSON)) {
            return Optional.empty();
        }
        write(s.with(JobState.Status.RUNNING, attempt, owner, now.plus(ttl), now));
        return Optional.of(new Claim(jobId, attempt, owner));
    }

    private String claimOwner(String jobId, int attempt) {
        return readTree(store.getBytes(claimKey(jobId, attempt))).path("owner").asText();
    }

    /** False once another replica claimed a later attempt: this owner must stop training the job. */
    public boolean stillOwner(Claim c) {
        return !store.exists(claimKey(c.jobId(), c.attempt() + 1));
    }

    /**
     * Extends the lease of {@code c} by one TTL and records progress; false (nothing written) when the job
     * was taken over.
     */
    public boolean renew(Claim c, String lastCheckpoint, Integer lastEpoch, String device) {
        if (!stillOwner(c)) {
            return false;
        }
        JobState s = read(c.jobId()).orElseThrow(() -> new IllegalStateException("ledger entry of " + c.jobId()
                + " disappeared while attempt " + c.attempt() + " was running"));
        if (s.status().terminal()) {
            return false;
        }
        Instant now = clock.instant();
        write(s.with(JobState.Status.RUNNING, c.attempt(), owner, now.plus(ttl), now)
                .withProgress(lastCheckpoint, lastEpoch, device));
        return true;
    }

    /** Ends the job (completed, failed or cancelled) if {@code c} still owns it; false otherwise. */
    public boolean finish(Claim c, JobState.Status status, String reason, double attemptSeconds) {
        if (!stillOwner(c)) {
            return false;
        }
        JobState s = read(c.jobId()).orElseThrow();
        write(s.finished(status, reason, attemptSeconds, clock.instant()));
        store.delete(ACTIVE_PREFIX + c.jobId());
        return true;
    }

    /** Adds an interrupted attempt's wall time before the next attempt starts. */
    public void addSeconds(Claim c, double seconds) {
        read(c.jobId()).ifPresent(s -> write(s.plusSeconds(seconds)));
    }

    /** Records a cancellation request; the owner of a running attempt sees it at its next renewal. */
    public void requestCancel(String jobId, String reason) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("jobId", jobId);
        if (reason != null) {
            n.put("reason", reason);
        }
        n.put("requestedAt", clock.instant().toString());
        store.put(cancelKey(jobId), n.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8), JSON);
    }

    /** The cancellation request of a job, if any: its reason (null when none was given). */
    public Optional<Optional<String>> cancelRequest(String jobId) {
        String key = cancelKey(jobId);
        if (!store.exists(key)) {
            return Optional.empty();
        }
        JsonNode n = readTree(store.getBytes(key));
        return Optional.of(Optional.ofNullable(n.hasNonNull("reason") ? n.get("reason").asText() : null));
    }

    /** Jobs registered and not finished (the scan's work list). */
    public List<String> activeJobs() {
        return store.list(ACTIVE_PREFIX).stream().map(o -> o.key().substring(ACTIVE_PREFIX.length()))
                .filter(id -> ObjectLayout.JOB_ID.matcher(id).matches()).toList();
    }

    /** Drops a finished job from the work list (left behind when its owner died right after finishing). */
    public void forget(String jobId) {
        store.delete(ACTIVE_PREFIX + jobId);
    }

    private static JsonNode readTree(byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("ledger object is not JSON: " + e.getMessage(), e);
        }
    }
}
