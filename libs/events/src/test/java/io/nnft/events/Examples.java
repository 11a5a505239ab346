package io.nnft.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NumericNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The examples packaged from schemas/examples/ (file name = event name, optionally .variant). */
final class Examples {

    record Example(String file, EventType type, byte[] json) {
        @Override
        public String toString() {
            return file;
        }
    }

    private Examples() {}

    static List<Example> all() {
        try {
            Path dir = Path.of(
                    Examples.class.getClassLoader().getResource(EventType.SCHEMA_RESOURCE_BASE + "examples").toURI());
            List<Example> out = new ArrayList<>();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.sorted().toList()) {
                    String name = f.getFileName().toString();
                    String eventName = name.substring(0, name.indexOf('.'));
                    EventType type = Stream.of(EventType.values()).filter(t -> t.eventName().equals(eventName))
                            .findFirst()
                            .orElseThrow(() -> new AssertionError("example " + name + " names no event type"));
                    out.add(new Example(name, type, Files.readAllBytes(f)));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] of(EventType type) {
        try (InputStream in = Examples.class.getClassLoader().getResourceAsStream(type.exampleResource())) {
            if (in == null) {
                throw new AssertionError("no example " + type.exampleResource());
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode tree(byte[] json) {
        try {
            return EventJson.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** JSON equality where 1 and 1.0 are the same number (a Double field writes 1 back as 1.0). */
    static final Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) -> {
        if (a instanceof NumericNode && b instanceof NumericNode) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    static boolean sameJson(JsonNode a, JsonNode b) {
        return a.equals(NUMBERS_BY_VALUE, b);
    }
}
