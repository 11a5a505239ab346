package io.nnft.preprocessing.io;

/** A case could not be preprocessed; the message names the case and the problem. */
public final class PreprocessingException extends RuntimeException {
    private final String caseIdentifier;

    public PreprocessingException(String caseIdentifier, String message, Throwable cause) {
        super("case " + caseIdentifier + ": " + message, cause);
        this.caseIdentifier = caseIdentifier;
    }

    /** The failing case, or null when the problem is not tied to one case. */
    public String caseIdentifier() {
        return caseIdentifier;
    }
}
