package io.nnft.cli;

/** Thrown by a subcommand when the user's input is wrong: exit code 2, message on stderr, no stack trace. */
public class BadInputException extends RuntimeException {
    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
