package io.nnft.cli.gateway;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

/** Reads a text/event-stream (the subset the gateway writes: event, id, data lines; ':' comments). */
public final class ServerSentEvents {
    /** One dispatched event; {@code name} is "message" when the stream gave none. */
    public record Event(String name, String id, String data) {
    }

    private ServerSentEvents() {
    }

    /** Calls {@code handler} for each event until it returns false or the stream ends; false if it ended. */
    public static boolean read(InputStream in, Predicate<Event> handler) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String name = null;
        String id = null;
        StringBuilder data = null;
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null && !handler.test(new Event(name == null ? "message" : name, id, data.toString()))) {
                    return true;
                }
                name = null;
                id = null;
                data = null;
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "event" -> name = value;
                case "id" -> id = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                default -> {
                    // retry and unknown fields: nothing to do for a one-shot watch
                }
            }
        }
        if (data != null) {
            handler.test(new Event(name == null ? "message" : name, id, data.toString()));
        }
        return false;
    }
}
