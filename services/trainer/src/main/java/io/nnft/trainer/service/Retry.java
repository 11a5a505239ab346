package io.nnft.trainer.service;

import io.nnft.storage.StorageException;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Retries object-store calls that failed for a reason that may pass (connection refused, 5xx, 429) with
 * exponential back-off (1 s doubling, at most 30 s apart), so an S3 outage of a few minutes delays a job
 * instead of failing it. Other failures are thrown at once.
 */
final class Retry {
    private static final Logger LOG = Logger.getLogger(Retry.class);

    private Retry() {
    }

    static <T> T storage(String what, int attempts, Supplier<T> call) {
        long delayMs = 1000;
        for (int i = 1; ; i++) {
            try {
                return call.get();
            } catch (StorageException e) {
                if (!e.retriable() || i >= attempts) {
                    throw e;
                }
                LOG.warnf("%s failed (try %d of %d), retrying in %d s: %s", what, i, attempts, delayMs / 1000,
                        e.getMessage());
                try {
                    Thread.sleep(delayMs);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                delayMs = Math.min(delayMs * 2, 30_000);
            }
        }
    }

    static void storage(String what, int attempts, Runnable call) {
        storage(what, attempts, () -> {
            call.run();
            return null;
        });
    }
}
