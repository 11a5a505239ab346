package io.nnft.cli.gateway;

import java.net.URI;
import picocli.CommandLine.Option;

/** Where the gateway is and how to authenticate: shared by submit, watch, fetch, jobs and cancel. */
public final class GatewayOptions {
    @Option(names = "--gateway", paramLabel = "URL", defaultValue = "${env:NNFT_GATEWAY:-http://localhost:8080}",
            description = "gateway base URL (default: $NNFT_GATEWAY, else ${DEFAULT-VALUE})")
    String gateway;

    @Option(names = "--token", paramLabel = "KEY", defaultValue = "${env:NNFT_TOKEN}",
            description = "API key sent as 'Authorization: Bearer KEY' (default: $NNFT_TOKEN)")
    String token;

    GatewayClient client() {
        return new GatewayClient(URI.create(gateway.endsWith("/") ? gateway : gateway + "/"), token);
    }
}
