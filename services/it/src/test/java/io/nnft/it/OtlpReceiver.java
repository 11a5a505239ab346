package io.nnft.it;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * A collector for the end-to-end tests: an OTLP/HTTP endpoint ({@code POST /v1/traces}, protobuf) on loopback that
 * keeps every span it receives. The services are other JVMs, so an in-memory exporter in the test's JVM would see
 * none of their spans; they export here as they would to a real collector
 * ({@code OTEL_EXPORTER_OTLP_ENDPOINT=<url>}, {@code OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf}).
 */
final class OtlpReceiver implements AutoCloseable {
    /** One received span, flattened: ids as lower-case hex (empty parent for a root), attributes as Java values. */
    record ReceivedSpan(String service, String traceId, String spanId, String parentSpanId, String name, String kind,
                        Map<String, Object> attributes, boolean error, String statusMessage) {
        Object attribute(String key) {
            return attributes.get(key);
        }

        boolean hasAttribute(String key, Object value) {
            return value.equals(attributes.get(key));
        }

        @Override
        public String toString() {
            return service + " '" + name + "' " + kind + " trace " + traceId + " span " + spanId + " parent "
                    + (parentSpanId.isEmpty() ? "-" : parentSpanId) + (error ? " ERROR " + statusMessage : "") + " "
                    + attributes;
        }
    }

    private final HttpServer server;
    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();

    private OtlpReceiver(HttpServer server) {
        this.server = server;
    }

    static OtlpReceiver start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        OtlpReceiver receiver = new OtlpReceiver(server);
        server.createContext("/v1/traces", receiver::export);
        server.start();
        return receiver;
    }

    /** The base URL to configure as the OTLP endpoint ({@code /v1/traces} is appended by the exporter). */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    /**
     * Waits until the spans received satisfy {@code done} (exporters send in batches, after the work), then returns
     * them all; fails listing what came when they do not within {@code timeout}.
     */
    List<ReceivedSpan> await(Predicate<List<ReceivedSpan>> done, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<ReceivedSpan> now = spans();
            if (done.test(now)) {
                return now;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + what + " within " + timeout + "; received " + now.size()
                        + " spans:\n" + String.join("\n", now.stream().map(ReceivedSpan::toString).toList()));
            }
            Thread.sleep(200);
        }
    }

    private void export(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body;
            try (InputStream in = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                    ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
            for (ResourceSpans resource : request.getResourceSpansList()) {
                Object service = attributes(resource.getResource().getAttributesList()).get("service.name");
                for (ScopeSpans scope : resource.getScopeSpansList()) {
                    for (io.opentelemetry.proto.trace.v1.Span s : scope.getSpansList()) {
                        spans.add(new ReceivedSpan(String.valueOf(service), hex(s.getTraceId()), hex(s.getSpanId()),
                                hex(s.getParentSpanId()), s.getName(), s.getKind().name().replace("SPAN_KIND_", ""),
                                attributes(s.getAttributesList()),
                                s.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR,
                                s.getStatus().getMessage()));
                    }
                }
            }
            byte[] response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, response.length == 0 ? -1 : response.length);
            if (response.length > 0) {
                exchange.getResponseBody().write(response);
            }
        }
    }

    private static Map<String, Object> attributes(List<KeyValue> list) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (KeyValue kv : list) {
            m.put(kv.getKey(), value(kv.getValue()));
        }
        return m;
    }

    private static Object value(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case BOOL_VALUE -> v.getBoolValue();
            case INT_VALUE -> v.getIntValue();
            case DOUBLE_VALUE -> v.getDoubleValue();
            case ARRAY_VALUE -> v.getArrayValue().getValuesList().stream().map(OtlpReceiver::value).toList();
            default -> v.toString();
        };
    }

    private static String hex(ByteString bytes) {
        return HexFormat.of().formatHex(bytes.toByteArray());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
