package io.nnft.planning;

/**
 * Bad plans, fingerprint or dataset.json content: the message names the source, the key and what
 * was expected versus found. Callers (CLI, services) map it to "bad input".
 */
public class PlansException extends RuntimeException {
    public PlansException(String message) {
        super(message);
    }

    public PlansException(String message, Throwable cause) {
        super(message, cause);
    }
}
