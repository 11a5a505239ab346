package io.nnft.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The encoder and friends are in the bucket ({@code schemas/EncoderExported.v1.schema.json}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EncoderExported(
        String jobId,
        Task task,
        FineTuneRequested.Export.Checkpoint checkpoint,
        String sourceCheckpoint,
        String bucket,
        String exportPrefix,
        List<Artifact> artifacts,
        Instant urlsExpireAt)
        implements NnftEvent {

    /**
     * One exported file.
     *
     * @param name path relative to the export prefix, e.g. {@code encoder.safetensors}
     * @param key object key in {@code bucket}
     * @param url presigned GET URL
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Artifact(String name, String key, String url, String sha256, Long sizeBytes) {}

    /** The artifact called {@code name} (e.g. "encoder.safetensors"), if exported. */
    public Optional<Artifact> artifact(String name) {
        return artifacts == null ? Optional.empty()
                : artifacts.stream().filter(a -> name.equals(a.name())).findFirst();
    }
}
