package io.nnft.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nnft.storage.StorageException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** An object store that is away for a while delays the job; a refusal fails at once. */
class RetryTest {
    @Test
    void retriableFailuresAreRetriedUntilTheStoreAnswers() {
        AtomicInteger calls = new AtomicInteger();
        String v = Retry.storage("put x", 3, () -> {
            if (calls.incrementAndGet() < 3) {
                throw new StorageException("put of x failed: connection refused", null, true);
            }
            return "ok";
        });
        assertThat(v).isEqualTo("ok");
        assertThat(calls).hasValue(3);
    }

    @Test
    void nonRetriableFailuresAndTheLastTryAreThrown() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> Retry.storage("put x", 5, () -> {
            calls.incrementAndGet();
            throw new StorageException("put of x failed: AccessDenied (HTTP 403)", null, false);
        })).hasMessageContaining("AccessDenied");
        assertThat(calls).hasValue(1);
        AtomicInteger more = new AtomicInteger();
        assertThatThrownBy(() -> Retry.storage("put y", 2, () -> {
            more.incrementAndGet();
            throw new StorageException("put of y failed: 503", null, true);
        })).hasMessageContaining("503");
        assertThat(more).hasValue(2);
    }
}
