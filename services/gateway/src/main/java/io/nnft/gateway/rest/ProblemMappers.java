package io.nnft.gateway.rest;

import io.nnft.events.Problem;
import io.nnft.gateway.ProblemException;
import io.nnft.storage.StorageException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error leaves the gateway as problem+json, also those raised by the framework (404 route, 415...). */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return ProblemResponse.of(e.status(), e.title(), e.problems());
    }

    @ServerExceptionMapper
    public Response framework(WebApplicationException e) {
        Response r = e.getResponse();
        if (r.hasEntity()) {
            return r;
        }
        int status = r.getStatus();
        String title = r.getStatusInfo().getReasonPhrase().toLowerCase();
        return ProblemResponse.of(status, title, List.of(new Problem("request", "a request this route accepts",
                e.getMessage() == null ? title : e.getMessage())));
    }

    @ServerExceptionMapper
    public Response storage(StorageException e) {
        LOG.warnf("storage failure: %s", e.getMessage());
        return ProblemResponse.of(503, "object store unavailable", List.of(new Problem("storage",
                "a reachable object store", e.getMessage())));
    }
}
