package io.nnft.storage;

/** A location from an event or request that points outside what nnft may touch. */
public class InvalidLocationException extends IllegalArgumentException {
    private final String location;

    public InvalidLocationException(String location, String rule) {
        super("location '" + location + "' " + rule);
        this.location = location;
    }

    public String location() {
        return location;
    }
}
