package io.nnft.gateway.rest;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** OpenAPI metadata: every route takes a bearer API key (see {@code nnft.gateway.api-keys}). */
@OpenAPIDefinition(info = @Info(title = "nnft gateway", version = "1",
        description = "Submit nnU-Net fine-tune jobs, follow them, fetch their exported encoders."),
        security = @SecurityRequirement(name = "apiKey"))
@SecurityScheme(securitySchemeName = "apiKey", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "An API key from nnft.gateway.api-keys, sent as 'Authorization: Bearer <key>'")
public class GatewayApplication extends Application {
}
