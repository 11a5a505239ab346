package io.nnft.gateway.auth;

import io.nnft.gateway.config.GatewayConfig;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Bearer API keys in front of every route (REST, metrics, Swagger), except the open paths (health,
 * OpenAPI document). A Vert.x filter rather than a JAX-RS one so that the non-JAX-RS routes are
 * covered too. Keys are compared in constant time.
 */
@ApplicationScoped
public class ApiKeyFilter {
    private static final Logger LOG = Logger.getLogger(ApiKeyFilter.class);
    private static final String PREFIX = "Bearer ";

    @Inject
    GatewayConfig config;

    void register(@Observes Filters filters) {
        if (!config.auth().enabled()) {
            LOG.warn("API key authentication is off (nnft.gateway.auth.enabled=false)");
            return;
        }
        if (config.apiKeys().map(List::isEmpty).orElse(true)) {
            LOG.warn("no API keys configured (nnft.gateway.api-keys / NNFT_GATEWAY_API_KEYS): every call but "
                    + config.auth().openPaths() + " is refused with 401");
        }
        filters.register(this::check, 100);
    }

    private void check(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (config.auth().openPaths().stream().anyMatch(path::startsWith)) {
            ctx.next();
            return;
        }
        String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        String problem;
        if (header == null) {
            problem = "no Authorization header; expected 'Authorization: Bearer <API key>'";
        } else if (!header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            problem = "Authorization header is not a bearer token; expected 'Bearer <API key>'";
        } else if (!known(header.substring(PREFIX.length()).trim())) {
            problem = "the bearer token is not a known API key";
        } else {
            ctx.next();
            return;
        }
        String body = "{\"type\":\"about:blank\",\"title\":\"unauthorized\",\"status\":401,\"detail\":\""
                + problem.replace("\"", "'") + "\",\"problems\":[{\"where\":\"Authorization\",\"expected\":"
                + "\"Bearer <API key>\",\"found\":\"" + (header == null ? "nothing" : "an unknown or malformed token")
                + "\"}]}";
        ctx.response().setStatusCode(401)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json")
                .putHeader("WWW-Authenticate", "Bearer realm=\"nnft\"")
                .end(body);
    }

    private boolean known(String token) {
        byte[] given = token.getBytes(StandardCharsets.UTF_8);
        boolean match = false;
        for (String key : config.apiKeys().orElse(List.of())) {
            // no early exit: the time taken does not tell which key (or how much of one) matched
            match |= !key.isBlank() && MessageDigest.isEqual(given, key.trim().getBytes(StandardCharsets.UTF_8));
        }
        return match;
    }
}
