package io.nnft.storage;

/** An object-store operation failed; the message names the operation and the key. */
public class StorageException extends RuntimeException {
    private final boolean retriable;

    public StorageException(String message, Throwable cause, boolean retriable) {
        super(message, cause);
        this.retriable = retriable;
    }

    /** True when trying again later may succeed (connection refused, 5xx), false for 4xx-like failures. */
    public boolean retriable() {
        return retriable;
    }
}
