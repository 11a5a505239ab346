package io.nnft.events;

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
}
