package io.nnft.trainer.service;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nnft.storage.ObjectInfo;
import io.nnft.storage.ObjectLayout;
import io.nnft.storage.ObjectStore;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Nodes that left a job unclaimed because their engine self-check failed, in the ledger beside the claims:
 * {@code jobs/<id>/selfcheck/<owner>.json}. The job stays {@code requested} for nodes whose check passes; only when
 * it is still unclaimed {@code nnft.trainer.selfcheck.give-up-after} after the first refusal does a refusing node fail
 * it ({@link #giveUp}), so {@code JobFailed} names the check only when no node took the job.
 */
final class SelfCheckRefusals {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * @param afterAttempt   the highest attempt claimed when the node refused (0: never claimed): a refusal counts
     *                       only while no later attempt was claimed, so a job trained and abandoned meanwhile starts
     *                       its wait afresh
     * @param firstRefusedAt when this owner first refused the job at that attempt (ISO-8601)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Refusal(String jobId, String owner, int afterAttempt, String verdict, String plan, String planDescription,
                   String firstRefusedAt, String lastRefusedAt) {
        Instant first() {
            return Instant.parse(firstRefusedAt);
        }
    }

    private final ObjectStore store;

    SelfCheckRefusals(ObjectStore store) {
        this.store = store;
    }

    static String key(String jobId, String owner) {
        return ObjectLayout.job(jobId) + "selfcheck/" + owner + ".json";
    }

    /** Records (or renews) this owner's refusal; keeps its first time while the claimed attempt is the same. */
    Refusal record(String jobId, String owner, int afterAttempt, SelfCheckResult result, String plan,
                   String planDescription, Instant now) {
        String key = key(jobId, owner);
        String first = now.toString();
        if (store.exists(key)) {
            Refusal before = parse(store.getBytes(key), key);
            if (before.afterAttempt() == afterAttempt) {
                first = before.firstRefusedAt();
            }
        }
        Refusal r = new Refusal(jobId, owner, afterAttempt, result.verdict(), plan, planDescription, first, now.toString());
        try {
            store.put(key, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(r), "application/json");
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize the self-check refusal of " + jobId, e);
        }
        return r;
    }

    /** Every node's refusal of the job. */
    List<Refusal> read(String jobId) {
        List<Refusal> out = new ArrayList<>();
        for (ObjectInfo o : store.list(ObjectLayout.job(jobId) + "selfcheck/")) {
            if (o.key().endsWith(".json")) {
                out.add(parse(store.getBytes(o.key()), o.key()));
            }
        }
        return out;
    }

    /**
     * The refusal to name when the job should fail now: refusals made while {@code highestClaim} was the newest
     * attempt (the job has stayed unclaimed since), the first of them at least {@code after} ago. Empty: keep waiting
     * for a node whose check passes.
     */
    static Optional<Refusal> giveUp(List<Refusal> refusals, int highestClaim, Instant now, Duration after) {
        return refusals.stream().filter(r -> r.afterAttempt() == highestClaim).min(Comparator.comparing(Refusal::first))
                .filter(r -> !now.isBefore(r.first().plus(after)));
    }

    private static Refusal parse(byte[] json, String key) {
        try {
            return MAPPER.readValue(json, Refusal.class);
        } catch (IOException e) {
            throw new IllegalStateException(key + ": expected a self-check refusal (JSON), could not read it: "
                    + e.getMessage(), e);
        }
    }
}
