package io.nnft.cli.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP server on loopback standing in for the gateway's routes a test needs: it records every
 * request (method, path with query, Authorization header, body) and answers from per-route handlers.
 */
final class TestGateway implements AutoCloseable {
    record Request(String method, String pathAndQuery, String authorization, String contentType, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    interface Handler {
        void handle(HttpExchange exchange, Request request) throws IOException;
    }

    private final HttpServer server;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Handler> routes = new ConcurrentHashMap<>();

    TestGateway() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                Request r = new Request(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                        exchange.getRequestHeaders().getFirst("Authorization"),
                        exchange.getRequestHeaders().getFirst("Content-Type"), exchange.getRequestBody().readAllBytes());
                requests.add(r);
                String key = r.method() + " " + exchange.getRequestURI().getPath();
                Handler h = routes.get(key);
                if (h == null) {
                    json(exchange, 404, "{\"title\":\"not found\",\"status\":404,\"problems\":[{\"where\":\"id\","
                            + "\"expected\":\"a known route\",\"found\":\"" + key + "\"}]}");
                } else {
                    h.handle(exchange, r);
                }
            }
        });
        server.start();
    }

    String url() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    TestGateway on(String methodAndPath, Handler handler) {
        routes.put(methodAndPath, handler);
        return this;
    }

    TestGateway onJson(String methodAndPath, int status, String body) {
        return on(methodAndPath, (x, r) -> json(x, status, body));
    }

    static void json(HttpExchange x, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
        x.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }

    static void bytes(HttpExchange x, byte[] body) throws IOException {
        x.sendResponseHeaders(200, body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }

    /** Streams {@code events} as text/event-stream, one every few milliseconds, then closes. */
    static void sse(HttpExchange x, List<String[]> events) throws IOException {
        x.getResponseHeaders().set("Content-Type", "text/event-stream");
        x.sendResponseHeaders(200, 0);
        try (OutputStream out = x.getResponseBody()) {
            out.write(": comment lines are ignored\n\n".getBytes(StandardCharsets.UTF_8));
            for (String[] e : events) {
                out.write(("event:" + e[0] + "\ndata:" + e[1] + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                try {
                    Thread.sleep(5);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
