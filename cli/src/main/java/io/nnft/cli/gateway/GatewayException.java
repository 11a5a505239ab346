package io.nnft.cli.gateway;

/** The gateway could not be reached or failed (5xx): exit 1 with the message, no stack trace. */
public final class GatewayException extends RuntimeException {
    public GatewayException(String message) {
        super(message);
    }

    public GatewayException(String message, Throwable cause) {
        super(message, cause);
    }
}
