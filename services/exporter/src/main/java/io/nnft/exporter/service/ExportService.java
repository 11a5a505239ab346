package io.nnft.exporter.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.nnft.checkpoint.ModelFolder;
import io.nnft.checkpoint.NnUNetCheckpoint;
import io.nnft.events.EncoderExported;
import io.nnft.events.FineTuneRequested;
import io.nnft.events.FineTuneRequested.Export.Checkpoint;
import io.nnft.events.Problem;
import io.nnft.events.Task;
import io.nnft.events.TrainingCompleted;
import io.nnft.export.ClassifierExport;
import io.nnft.export.EncoderExporter;
import io.nnft.export.ExportException;
import io.nnft.export.ExportOptions;
import io.nnft.export.ExportResult;
import io.nnft.export.ExportedFile;
import io.nnft.exporter.config.ExporterConfig;
import io.nnft.services.common.EventPublisher;
import io.nnft.services.common.JobFailure;
import io.nnft.services.common.WorkDirs;
import io.nnft.storage.ObjectLayout;
import io.nnft.storage.ObjectLocation;
import io.nnft.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * Turns a finished training into downloadable artifacts: fetch the chosen checkpoint (the request's
 * {@code export.checkpoint}, or {@code nnft.exporter.checkpoint} when set; final when no best exists), export
 * it with libs/export into a scratch folder, replace {@code jobs/<id>/export/} with the result and publish
 * {@code EncoderExported} with each file's key, presigned URL, SHA-256 and size.
 */
@ApplicationScoped
public class ExportService {
    private static final Logger LOG = Logger.getLogger(ExportService.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** SigV4 presigned URLs live at most 7 days. */
    static final Duration MAX_URL_EXPIRY = Duration.ofDays(7);

    private final ObjectStore store;
    private final EventPublisher publisher;
    private final ExporterConfig config;
    private final MeterRegistry metrics;

    @Inject
    public ExportService(ObjectStore store, EventPublisher publisher, ExporterConfig config, MeterRegistry metrics) {
        this.store = store;
        this.publisher = publisher;
        this.config = config;
        this.metrics = metrics;
        Duration expiry = config.urlExpiry();
        if (expiry.isNegative() || expiry.isZero() || expiry.compareTo(MAX_URL_EXPIRY) > 0) {
            throw new IllegalArgumentException("nnft.exporter.url-expiry: expected between 1s and 7d (S3's limit for "
                    + "presigned URLs), found " + expiry);
        }
        config.checkpoint().ifPresent(c -> parseCheckpoint(c));
    }

    public void export(TrainingCompleted event) {
        String jobId = event.jobId();
        FineTuneRequested request = (event.request() == null ? FineTuneRequested.of("unknown") : event.request())
                .withDefaults();
        Checkpoint wanted = config.checkpoint().map(ExportService::parseCheckpoint).orElse(request.export().checkpoint());
        Checkpoint which = wanted;
        String field = "/checkpoints/final";
        String location = event.checkpoints().finalCheckpoint();
        if (wanted == Checkpoint.BEST) {
            if (event.checkpoints().best() != null) {
                location = event.checkpoints().best();
                field = "/checkpoints/best";
            } else {
                // nnU-Net writes checkpoint_best only when the EMA pseudo-Dice improved; final is then the best we have.
                LOG.infof("job %s: no best checkpoint recorded, exporting the final one", jobId);
                which = Checkpoint.FINAL;
            }
        }
        ObjectLocation checkpoint = store.locate(location);
        if (!store.exists(checkpoint.key())) {
            throw new JobFailure("checkpoint to export not found: no object " + checkpoint.key() + " in bucket "
                    + checkpoint.bucket(), List.of(new Problem(field, "an nnU-Net checkpoint (.pth) at " + checkpoint.uri(),
                    "no object with key " + checkpoint.key())), false);
        }
        String prefix = ObjectLayout.export(jobId);
        Integer classes = Boolean.TRUE.equals(request.export().classificationStarter())
                ? config.classifierStarter().classes() : null;
        ExportOptions options = new ExportOptions(jobId, checkpoint.uri(), classes, config.classifierStarter().seed());

        try (WorkDirs.Scratch work = WorkDirs.scratch(config.workDir(), jobId)) {
            Path local = work.dir().resolve(fileName(checkpoint.key()));
            store.download(checkpoint.key(), local);
            NnUNetCheckpoint ckpt = read(local, checkpoint, field);
            boolean classifier = request.task() == Task.CLASSIFICATION;
            ObjectNode classification = classifier ? classificationJson(event) : null;
            ExportResult result;
            try {
                result = classifier
                        ? ClassifierExport.export(ckpt, classification, checkpoint.uri(), work.dir().resolve("export"), options)
                        : EncoderExporter.export(ckpt, checkpoint.uri(), work.dir().resolve("export"), options);
            } catch (ExportException e) {
                throw new JobFailure("cannot export " + checkpoint.uri() + ": " + e.getMessage(),
                        List.of(new Problem(field, "a PlainConvUNet checkpoint whose plans describe its weights",
                                e.getMessage())), false);
            } catch (IOException e) {
                throw new UncheckedIOException("job " + jobId + ": writing the export to " + work.dir() + " failed: "
                        + e.getMessage(), e);
            }
            // A redelivered event replaces an earlier export instead of mixing files of two runs.
            int removed = store.deletePrefix(prefix);
            if (removed > 0) {
                LOG.infof("job %s: replaced %d objects of an earlier export", jobId, removed);
            }
            store.uploadDirectory(result.dir(), prefix);
            Duration expiry = config.urlExpiry();
            Instant expiresAt = Instant.now().plus(expiry).truncatedTo(ChronoUnit.SECONDS);
            List<EncoderExported.Artifact> artifacts = new ArrayList<>();
            for (ExportedFile f : result.files()) {
                String key = prefix + f.name();
                artifacts.add(new EncoderExported.Artifact(f.name(), store.locate(key).uri(),
                        store.presignedGet(key, expiry), f.sha256(), f.sizeBytes()));
            }
            LOG.infof("job %s: exported %s (%d files) to %s", jobId, checkpoint.uri(), artifacts.size(), prefix);
            publisher.publish(new EncoderExported(jobId, request.task(), which, checkpoint.uri(), store.bucket(),
                    store.locate(prefix).uri(), artifacts, expiresAt));
            metrics.counter("nnft.exports", "checkpoint", which.name().toLowerCase(Locale.ROOT)).increment();
        }
    }

    /** The trainer's classification.json (classes, head) from the job's model folder. */
    private ObjectNode classificationJson(TrainingCompleted event) {
        String key = store.locate(event.modelFolder()).prefix() + ModelFolder.CLASSIFICATION_JSON;
        if (!store.exists(key)) {
            throw new JobFailure("no " + ModelFolder.CLASSIFICATION_JSON + " in the classifier's model folder "
                    + event.modelFolder(), List.of(new Problem("/modelFolder", "a classifier model folder with "
                    + ModelFolder.CLASSIFICATION_JSON + " (classes, head)", "no object " + key)), false);
        }
        try {
            if (MAPPER.readTree(store.getBytes(key)) instanceof ObjectNode o) {
                return o;
            }
        } catch (IOException e) {
            // reported below
        }
        throw new JobFailure(store.locate(key).uri() + ": expected a JSON object describing the classifier");
    }

    private static NnUNetCheckpoint read(Path local, ObjectLocation checkpoint, String field) {
        try {
            return NnUNetCheckpoint.read(local);
        } catch (IOException e) {
            throw new JobFailure(checkpoint.uri() + " is not a readable nnU-Net checkpoint: " + e.getMessage(),
                    List.of(new Problem(field, "an nnU-Net checkpoint (.pth, torch zip format)", e.getMessage())), false);
        } catch (UncheckedIOException e) {
            throw new JobFailure(checkpoint.uri() + " could not be read: " + e.getMessage());
        }
    }

    static Checkpoint parseCheckpoint(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "best" -> Checkpoint.BEST;
            case "final" -> Checkpoint.FINAL;
            default -> throw new IllegalArgumentException("nnft.exporter.checkpoint: expected best or final, found '"
                    + value + "'");
        };
    }

    private static String fileName(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        return name.isEmpty() ? "checkpoint.pth" : name;
    }
}
