package io.nnft.gateway.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nnft.events.FineTuneRequested;
import io.nnft.events.InvalidEventException;
import io.nnft.events.JobCancelRequested;
import io.nnft.events.JobId;
import io.nnft.events.Problem;
import io.nnft.gateway.JobUpdate;
import io.nnft.gateway.JobView;
import io.nnft.gateway.ProblemException;
import io.nnft.gateway.mapping.RequestFanOut;
import io.nnft.gateway.service.ArtifactLinks;
import io.nnft.gateway.service.JobTimeline;
import io.nnft.gateway.service.JobViews;
import io.nnft.services.common.EventPublisher;
import io.nnft.services.common.JobTracing;
import io.nnft.storage.InvalidLocationException;
import io.nnft.storage.ObjectLayout;
import io.nnft.storage.ObjectStore;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/** Fine-tune jobs: submitted (validated, published), listed, followed, fetched and cancelled. */
@Path("/jobs")
@Tag(name = "jobs")
public class JobResource {
    private static final Logger LOG = Logger.getLogger(JobResource.class);

    @Inject
    EventPublisher publisher;

    @Inject
    ObjectStore store;

    @Inject
    JobViews views;

    @Inject
    JobTimeline timeline;

    @Inject
    ArtifactLinks artifacts;

    @Inject
    ObjectMapper mapper;

    @Inject
    JobTracing tracing;

    /**
     * Accepts a FineTuneRequested body (without envelope), or the same with {@code datasets: [...]} for
     * one job per dataset; 202 with the job ids, 400/409 problem+json.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a fine-tune request (one job, or one per entry of 'datasets')")
    @APIResponse(responseCode = "202", description = "Accepted and published (FineTuneRequested); the job ids to"
            + " follow", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT,
            properties = {
                @SchemaProperty(name = "jobId", type = SchemaType.STRING, description = "The job (absent for 'datasets')"),
                @SchemaProperty(name = "status", type = SchemaType.STRING, enumeration = "accepted"),
                @SchemaProperty(name = "jobs", type = SchemaType.ARRAY, description = "Each job: jobId, dataset,"
                        + " status (its URL path)")})))
    @APIResponse(responseCode = "400", description = "The body breaks the request schema or a location is outside"
            + " the bucket; every problem names its field", content = @Content(mediaType = ProblemResponse.MEDIA_TYPE,
            schema = @Schema(ref = OpenApiContracts.PROBLEM)))
    @APIResponse(responseCode = "409", description = "The job id is already used", content = @Content(
            mediaType = ProblemResponse.MEDIA_TYPE, schema = @Schema(ref = OpenApiContracts.PROBLEM)))
    @APIResponse(responseCode = "503", description = "The broker did not acknowledge the event", content = @Content(
            mediaType = ProblemResponse.MEDIA_TYPE, schema = @Schema(ref = OpenApiContracts.PROBLEM)))
    public Response submit(@RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = OpenApiContracts.REQUEST_BODY))) byte[] body) {
        List<FineTuneRequested> requests;
        try {
            requests = RequestFanOut.expand(body);
        } catch (InvalidEventException e) {
            return ProblemResponse.badRequest("invalid fine-tune request", e.problems());
        }
        boolean fanOut = bodyHasDatasets(body);
        List<Problem> problems = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            FineTuneRequested r = requests.get(i);
            checkLocation(r.dataset(), fanOut ? "/datasets/" + i : "/dataset", problems);
            if (r.pretrained() != null && i == 0) {
                checkLocation(r.pretrained(), "/pretrained", problems);
            }
        }
        if (!problems.isEmpty()) {
            return ProblemResponse.badRequest("invalid fine-tune request", problems);
        }
        // Each request's CloudEvent id is chosen now: a request without job id gets the one its planner would
        // assign for that event (JobId.assign), so the gateway can answer with it.
        Map<FineTuneRequested, String> eventIds = new java.util.IdentityHashMap<>();
        List<FineTuneRequested> accepted = new ArrayList<>();
        for (FineTuneRequested r : requests) {
            String eventId = java.util.UUID.randomUUID().toString();
            FineTuneRequested assigned = JobId.assign(r, publisher.source(), eventId).withDefaults();
            eventIds.put(assigned, eventId);
            accepted.add(assigned);
        }
        for (FineTuneRequested r : accepted) {
            if (views.find(r.jobId()).isPresent()) {
                return ProblemResponse.of(409, "job exists", List.of(new Problem("/jobId",
                        "a job id not used before", "'" + r.jobId() + "', already a job")));
            }
        }
        List<Map<String, String>> jobs = new ArrayList<>();
        for (FineTuneRequested r : accepted) {
            // The job's trace begins here (the request's span; one per job below it): its view names the trace.
            Span span = tracing.start("accept FineTuneRequested", r.jobId(),
                    io.opentelemetry.context.Context.current());
            try (Scope ignored = span.makeCurrent()) {
                if (!views.register(r, JobTracing.currentTraceId().orElse(null))) {
                    return ProblemResponse.of(409, "job exists", List.of(new Problem("/jobId",
                            "a job id not used before", "'" + r.jobId() + "', already a job")));
                }
                publish(r, eventIds.get(r));
            } finally {
                span.end();
            }
            jobs.add(Map.of("jobId", r.jobId(), "dataset", r.dataset(), "status", "/jobs/" + r.jobId()));
        }
        Map<String, Object> entity = new LinkedHashMap<>();
        if (!fanOut) {
            entity.put("jobId", accepted.get(0).jobId());
        }
        entity.put("status", "accepted");
        entity.put("jobs", jobs);
        return Response.accepted(entity).build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Every known job, newest first")
    @APIResponse(responseCode = "200", description = "The jobs", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.OBJECT, properties = @SchemaProperty(name = "jobs", type = SchemaType.ARRAY,
            implementation = JobView.class))))
    public Map<String, Object> list(@QueryParam("stage") String stage) {
        List<JobView> all = views.all().stream()
                .filter(v -> stage == null || stage.isBlank() || v.stage().wireName().equals(stage)).toList();
        return Map.of("jobs", all);
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "One job: stage, epoch, latest metrics, failure reason and problems, artifacts")
    @APIResponse(responseCode = "200", description = "The job", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobView.class)))
    @APIResponse(responseCode = "404", description = "No such job", content = @Content(
            mediaType = ProblemResponse.MEDIA_TYPE, schema = @Schema(ref = OpenApiContracts.PROBLEM)))
    public JobView get(@PathParam("id") String id) {
        return require(id);
    }

    /**
     * Server-sent events: first {@code status} (the job now), then one event per nnft event of the job
     * (named by the event, data {@code {"data": <event>, "job": <view after it>}}); the stream ends
     * when the job is exported, failed or cancelled.
     */
    @GET
    @Path("{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Live events of a job (server-sent events)")
    @APIResponse(responseCode = "200", description = "The stream: 'status', then one event per nnft event",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS))
    @APIResponse(responseCode = "404", description = "No such job", content = @Content(
            mediaType = ProblemResponse.MEDIA_TYPE, schema = @Schema(ref = OpenApiContracts.PROBLEM)))
    public Multi<OutboundSseEvent> events(@PathParam("id") String id, @Context Sse sse) {
        require(id);
        return Multi.createFrom().emitter(emitter -> {
            AutoCloseable subscription = views.subscribe(id, update -> {
                emitter.emit(sse.newEventBuilder().name(update.event()).id(update.eventId())
                        .data(String.class, json(update)).build());
                if (update.view().stage().terminal()) {
                    emitter.complete();
                }
            });
            emitter.onTermination(() -> {
                try {
                    subscription.close();
                } catch (Exception e) {
                    LOG.debugf("closing the subscription of %s: %s", id, e);
                }
            });
            JobView now = require(id);
            emitter.emit(sse.newEventBuilder().name("status")
                    .data(String.class, json(Map.of("job", now))).build());
            if (now.stage().terminal()) {
                emitter.complete();
            }
        });
    }

    /** Every event of the job so far with its time and the stage it left the job in: the dashboard's history. */
    @GET
    @Path("{id}/timeline")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Every event of a job so far (time, event, stage after it, data), oldest first")
    @APIResponse(responseCode = "200", description = "The timeline", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT, properties = {
            @SchemaProperty(name = "jobId", type = SchemaType.STRING),
            @SchemaProperty(name = "events", type = SchemaType.ARRAY, implementation = JobTimeline.Entry.class)})))
    @APIResponse(responseCode = "404", description = "No such job", content = @Content(
            mediaType = ProblemResponse.MEDIA_TYPE, schema = @Schema(ref = OpenApiContracts.PROBLEM)))
    public Map<String, Object> timeline(@PathParam("id") String id) {
        require(id);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("jobId", id);
        out.put("events", timeline.of(id));
        return out;
    }

    @GET
    @Path("{id}/artifacts")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Presigned URLs of the export and the model checkpoints")
    @APIResponse(responseCode = "200", description = "The links", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ArtifactLinks.Listing.class)))
    @APIResponse(responseCode = "404", description = "No such job", content = @Content(
            mediaType = ProblemResponse.MEDIA_TYPE, schema = @Schema(ref = OpenApiContracts.PROBLEM)))
    public ArtifactLinks.Listing artifacts(@PathParam("id") String id) {
        return artifacts.of(require(id));
    }

    @DELETE
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Cancel a job (JobCancelRequested); purge=true also deletes its objects")
    @APIResponse(responseCode = "202", description = "Cancellation requested (JobCancelRequested published)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT,
            properties = {
                @SchemaProperty(name = "jobId", type = SchemaType.STRING),
                @SchemaProperty(name = "status", type = SchemaType.STRING, enumeration = "cancel-requested"),
                @SchemaProperty(name = "purgedObjects", type = SchemaType.INTEGER, description = "With purge=true")})))
    @APIResponse(responseCode = "404", description = "No such job", content = @Content(
            mediaType = ProblemResponse.MEDIA_TYPE, schema = @Schema(ref = OpenApiContracts.PROBLEM)))
    @APIResponse(responseCode = "409", description = "The job already finished (and purge is not set)",
            content = @Content(mediaType = ProblemResponse.MEDIA_TYPE, schema = @Schema(ref = OpenApiContracts.PROBLEM)))
    @APIResponse(responseCode = "503", description = "The broker did not acknowledge the event", content = @Content(
            mediaType = ProblemResponse.MEDIA_TYPE, schema = @Schema(ref = OpenApiContracts.PROBLEM)))
    public Response cancel(@PathParam("id") String id, @QueryParam("purge") @DefaultValue("false") boolean purge,
                           @QueryParam("reason") String reason) {
        JobView view = require(id);
        if (view.stage().terminal() && !purge) {
            return ProblemResponse.of(409, "job already finished", List.of(new Problem("id",
                    "a job that is still running (or purge=true to delete a finished job's objects)",
                    "'" + id + "', " + view.stage().wireName())));
        }
        publish(new JobCancelRequested(id, reason == null || reason.isBlank() ? null : reason, purge ? true : null));
        int purged = purge ? store.deletePrefix(ObjectLayout.job(id)) : 0;
        Map<String, Object> entity = new LinkedHashMap<>();
        entity.put("jobId", id);
        entity.put("status", "cancel-requested");
        if (purge) {
            entity.put("purgedObjects", purged);
        }
        return Response.accepted(entity).build();
    }

    private JobView require(String id) {
        return views.find(id).orElseThrow(() -> new ProblemException(404, "job not found", new Problem("id",
                "the id of a job submitted to this gateway", "'" + id + "'")));
    }

    private void checkLocation(String location, String where, List<Problem> problems) {
        try {
            store.locate(location);
        } catch (InvalidLocationException e) {
            problems.add(new Problem(where, "a location in bucket '" + store.bucket() + "'", e.getMessage()));
        }
    }

    private void publish(io.nnft.events.NnftEvent event) {
        publish(event, java.util.UUID.randomUUID().toString());
    }

    private void publish(io.nnft.events.NnftEvent event, String eventId) {
        try {
            publisher.publish(event, eventId);
        } catch (IllegalStateException e) {
            throw new ProblemException(503, "broker unavailable", new Problem("kafka",
                    "a broker acknowledging " + event.type().topic(), e.getMessage()));
        }
    }

    private static boolean bodyHasDatasets(byte[] body) {
        try {
            return io.nnft.events.EventJson.mapper().readTree(body).has(RequestFanOut.DATASETS);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    private String json(JobUpdate update) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("data", update.data());
        data.put("job", update.view());
        return json(data);
    }
}
