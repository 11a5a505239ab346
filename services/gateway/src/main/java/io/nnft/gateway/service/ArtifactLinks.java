package io.nnft.gateway.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.nnft.events.EncoderExported;
import io.nnft.gateway.JobView;
import io.nnft.gateway.config.GatewayConfig;
import io.nnft.storage.InvalidLocationException;
import io.nnft.storage.ObjectInfo;
import io.nnft.storage.ObjectLayout;
import io.nnft.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a user can download for a job: everything under {@code jobs/<id>/export/} and the model's
 * checkpoints ({@code jobs/<id>/model/**.pth}), each with a fresh presigned GET URL. Names are paths
 * relative to {@code jobs/<id>/}, so {@code nnft fetch} recreates the layout.
 */
@ApplicationScoped
public class ArtifactLinks {
    @Inject
    ObjectStore store;

    @Inject
    GatewayConfig config;

    /** The list {@code GET /jobs/{id}/artifacts} returns. */
    public record Listing(String jobId, String stage, Instant expiresAt, List<Link> artifacts) {
    }

    /**
     * One downloadable object.
     *
     * @param kind {@code export} or {@code checkpoint}
     * @param sha256 as recorded by the exporter (EncoderExported), when known
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Link(String name, String kind, String key, long sizeBytes, String sha256, String url) {
    }

    public Listing of(JobView job) {
        String jobPrefix = ObjectLayout.job(job.jobId());
        // EncoderExported names objects by s3:// URI (or key): matched by bucket key, so the listing has their sha256
        Map<String, EncoderExported.Artifact> exported = new HashMap<>();
        for (EncoderExported.Artifact a : job.artifacts() == null ? List.<EncoderExported.Artifact>of() : job.artifacts()) {
            try {
                if (a.key() != null) {
                    exported.putIfAbsent(store.locate(a.key()).key(), a);
                }
            } catch (InvalidLocationException e) {
                // not in our bucket: nothing of ours to list
            }
        }
        Instant expiresAt = Instant.now().plus(config.urlExpiry());
        List<Link> links = new ArrayList<>();
        for (ObjectInfo o : store.list(ObjectLayout.export(job.jobId()))) {
            EncoderExported.Artifact a = exported.get(o.key());
            links.add(link(jobPrefix, o, "export", a == null ? null : a.sha256()));
        }
        for (ObjectInfo o : store.list(ObjectLayout.model(job.jobId()))) {
            if (o.key().endsWith(".pth")) {
                links.add(link(jobPrefix, o, "checkpoint", null));
            }
        }
        return new Listing(job.jobId(), job.stage().wireName(), expiresAt, links);
    }

    private Link link(String jobPrefix, ObjectInfo o, String kind, String sha256) {
        return new Link(o.key().substring(jobPrefix.length()), kind, o.key(), o.size(), sha256,
                store.presignedGet(o.key(), config.urlExpiry()));
    }
}
