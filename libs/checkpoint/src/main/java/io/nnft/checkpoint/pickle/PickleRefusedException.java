package io.nnft.checkpoint.pickle;

/**
 * A pickle asked for something the allow-list does not permit (a global, an opcode, a malformed
 * tensor). Thrown before anything is built from it.
 */
public final class PickleRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PickleRefusedException(String message) {
        super(message);
    }
}
