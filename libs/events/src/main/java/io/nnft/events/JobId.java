package io.nnft.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.regex.Pattern;

/** Job ids: usable as Kafka key, object-key segment and Kubernetes label value. */
public final class JobId {

    /** Same pattern as {@code common.v1.schema.json#/$defs/jobId}. */
    public static final Pattern PATTERN = Pattern.compile("^[a-z0-9][a-z0-9-]{0,62}$");

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

    private JobId() {}

    public static boolean isValid(String jobId) {
        return jobId != null && PATTERN.matcher(jobId).matches();
    }

    /** A fresh id for a request that came without one, e.g. {@code job-k3x9q2m7a1bc}. */
    public static String generate() {
        StringBuilder id = new StringBuilder("job-");
        for (int i = 0; i < 12; i++) {
            id.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return id.toString();
    }

    /**
     * The job id of a {@code FineTuneRequested} that came without one: derived from the CloudEvent's
     * {@code source} and {@code id}, e.g. {@code job-k3x9q2m7a1bc}. Derived, not drawn, so that every
     * receiver of the same event (the planner, the gateway's job view) and every redelivery of it name the
     * same job, and a duplicate is recognised as one.
     */
    public static String forEvent(String source, String eventId) {
        if (source == null || eventId == null) {
            throw new IllegalArgumentException("a job id for an event: expected its CloudEvent source and id, "
                    + "found source " + source + " and id " + eventId);
        }
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256")
                    .digest((source + "\n" + eventId).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        StringBuilder id = new StringBuilder("job-");
        for (int i = 0; i < 12; i++) {
            id.append(ALPHABET[(digest[i] & 0xff) % ALPHABET.length]);
        }
        return id.toString();
    }

    /**
     * The request as its receiver goes on with it: unchanged when it names its job, else with the job id
     * {@link #forEvent} assigns for the event that carried it (or will carry it, at the gateway). The one
     * place where a job id is assigned; the assigned id is the Kafka key of every later event of the job.
     */
    public static FineTuneRequested assign(FineTuneRequested request, String source, String eventId) {
        return request.jobId() != null ? request : request.withJobId(forEvent(source, eventId));
    }
}
