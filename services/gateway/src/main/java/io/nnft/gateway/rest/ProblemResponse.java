package io.nnft.gateway.rest;

import io.nnft.events.Problem;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** RFC 9457 problem details, with every failing field listed. */
final class ProblemResponse {
    static final String MEDIA_TYPE = "application/problem+json";

    private ProblemResponse() {
    }

    static Response badRequest(String title, List<Problem> problems) {
        return of(400, title, problems);
    }

    static Response of(int status, String title, List<Problem> problems) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", problems.isEmpty() ? title : problems.get(0).toString());
        body.put("problems", problems);
        return Response.status(status).type(MEDIA_TYPE).entity(body).build();
    }
}
