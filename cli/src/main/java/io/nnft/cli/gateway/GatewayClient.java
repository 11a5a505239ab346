package io.nnft.cli.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nnft.cli.BadInputException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The gateway's REST API over java.net.http. A 4xx answer is the user's to fix: a
 * {@link BadInputException} carrying the problem+json's title and every problem (where, expected, found).
 * Unreachable or failing (5xx) gateways are {@link GatewayException}s.
 */
public final class GatewayClient {
    static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String token;
    private final HttpClient http;

    public GatewayClient(URI base, String token) {
        this.base = base;
        this.token = token == null || token.isBlank() ? null : token.trim();
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    public URI base() {
        return base;
    }

    public JsonNode get(String path) {
        return json(send(request(path).GET(), HttpResponse.BodyHandlers.ofByteArray()));
    }

    public JsonNode postJson(String path, byte[] body) {
        return json(send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)), HttpResponse.BodyHandlers.ofByteArray()));
    }

    public JsonNode postZip(String path, Path zip) {
        try {
            return json(send(request(path).header("Content-Type", "application/zip")
                    .POST(HttpRequest.BodyPublishers.ofFile(zip)), HttpResponse.BodyHandlers.ofByteArray()));
        } catch (java.io.FileNotFoundException e) {
            throw new BadInputException("cannot read " + zip + ": " + e.getMessage());
        }
    }

    public JsonNode delete(String path) {
        return json(send(request(path).DELETE(), HttpResponse.BodyHandlers.ofByteArray()));
    }

    /** A streaming GET (server-sent events); the caller closes the body. */
    public InputStream stream(String path) {
        HttpResponse<InputStream> r = sendRaw(request(path).header("Accept", "text/event-stream").GET(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() / 100 != 2) {
            byte[] body;
            try (InputStream in = r.body()) {
                body = in.readAllBytes();
            } catch (IOException e) {
                body = new byte[0];
            }
            throw failure(r.statusCode(), r.uri(), body);
        }
        return r.body();
    }

    /** Downloads a presigned URL (no API key: the signature is the credential) to {@code target}. */
    public long download(URI url, Path target) {
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Path part = target.resolveSibling(target.getFileName() + ".part");
            HttpResponse<Path> r = http.send(HttpRequest.newBuilder(url).GET().build(),
                    HttpResponse.BodyHandlers.ofFile(part));
            if (r.statusCode() / 100 != 2) {
                String body = Files.readString(part);
                Files.deleteIfExists(part);
                throw new GatewayException("download of " + target.getFileName() + " failed: HTTP " + r.statusCode()
                        + " from the object store: " + body.lines().findFirst().orElse(""));
            }
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return Files.size(target);
        } catch (IOException e) {
            throw new GatewayException("download of " + target.getFileName() + " from " + url.getHost()
                    + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException("interrupted while downloading " + target.getFileName(), e);
        }
    }

    /** {@code path?k=v&...} with the values URL-encoded; null values are left out. */
    public static String query(String path, Map<String, Object> params) {
        String q = params.entrySet().stream().filter(e -> e.getValue() != null)
                .map(e -> e.getKey() + "=" + URLEncoder.encode(String.valueOf(e.getValue()), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return q.isEmpty() ? path : path + "?" + q;
    }

    /** A path segment, encoded (job ids are safe already; this guards against typos like a slash). */
    public static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path.startsWith("/") ? path.substring(1) : path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request, HttpResponse.BodyHandler<byte[]> handler) {
        HttpResponse<byte[]> r = sendRaw(request, handler);
        if (r.statusCode() / 100 != 2) {
            throw failure(r.statusCode(), r.uri(), r.body());
        }
        return r;
    }

    private <T> HttpResponse<T> sendRaw(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) {
        HttpRequest built = request.build();
        try {
            return http.send(built, handler);
        } catch (ConnectException e) {
            throw new GatewayException("cannot reach the gateway at " + base + " (connection refused): is it running?"
                    + " Set --gateway or NNFT_GATEWAY", e);
        } catch (IOException e) {
            throw new GatewayException(built.method() + " " + built.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException("interrupted: " + built.method() + " " + built.uri(), e);
        }
    }

    private static JsonNode json(HttpResponse<byte[]> r) {
        try {
            return r.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(r.body());
        } catch (IOException e) {
            throw new GatewayException("the gateway answered " + r.uri() + " with something that is not JSON: " + e);
        }
    }

    private static RuntimeException failure(int status, URI uri, byte[] body) {
        StringBuilder message = new StringBuilder();
        JsonNode problem = null;
        try {
            problem = body.length == 0 ? null : JSON.readTree(body);
        } catch (IOException e) {
            // not problem+json: the status line says enough
        }
        String title = problem != null && problem.hasNonNull("title") ? problem.get("title").asText() : "HTTP " + status;
        message.append("gateway: ").append(title).append(" (HTTP ").append(status).append(", ")
                .append(uri.getPath()).append(")");
        if (problem != null && problem.path("problems").isArray() && !problem.get("problems").isEmpty()) {
            for (JsonNode p : problem.get("problems")) {
                message.append("\n  ").append(p.path("where").asText()).append(": expected ")
                        .append(p.path("expected").asText()).append(", found ").append(p.path("found").asText());
            }
        } else if (problem != null && problem.hasNonNull("detail")) {
            message.append(": ").append(problem.get("detail").asText());
        }
        if (status == 401) {
            message.append("\n  pass an API key with --token or NNFT_TOKEN");
        }
        return status >= 400 && status < 500 ? new BadInputException(message.toString())
                : new GatewayException(message.toString());
    }
}
