package io.nnft.export;

/** The checkpoint cannot be exported as asked: the message says what was expected, what was found and where. */
public class ExportException extends RuntimeException {
    public ExportException(String message) {
        super(message);
    }

    public ExportException(String message, Throwable cause) {
        super(message, cause);
    }
}
