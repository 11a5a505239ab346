package io.nnft.gateway.rest;

import io.nnft.events.EventCodec;
import io.nnft.events.FineTuneRequested;
import io.nnft.events.InvalidEventException;
import io.nnft.events.JobId;
import io.nnft.events.Problem;
import io.nnft.services.common.EventPublisher;
import io.nnft.storage.InvalidLocationException;
import io.nnft.storage.ObjectStore;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/** Fine-tune jobs: a request is checked against its schema and our bucket, then published. */
@Path("/jobs")
public class JobResource {
    @Inject
    EventPublisher publisher;

    @Inject
    ObjectStore store;

    /** Accepts a FineTuneRequested body (without envelope); 202 with the job id, or 400 problem+json. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response submit(byte[] body) {
        FineTuneRequested request;
        try {
            request = EventCodec.decodeData(body, FineTuneRequested.class);
        } catch (InvalidEventException e) {
            return ProblemResponse.badRequest("invalid fine-tune request", e.problems());
        }
        try {
            store.locate(request.dataset());
            if (request.pretrained() != null) {
                store.locate(request.pretrained());
            }
        } catch (InvalidLocationException e) {
            return ProblemResponse.badRequest("invalid fine-tune request",
                    List.of(new Problem(e.location().equals(request.dataset()) ? "/dataset" : "/pretrained",
                            "a location in bucket '" + store.bucket() + "'", e.getMessage())));
        }
        String jobId = request.jobId() != null ? request.jobId() : JobId.generate();
        publisher.publish(request.withJobId(jobId).withDefaults());
        return Response.accepted(Map.of("jobId", jobId, "status", "accepted")).build();
    }
}
