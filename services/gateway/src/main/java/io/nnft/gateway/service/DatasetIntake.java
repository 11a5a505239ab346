package io.nnft.gateway.service;

import io.nnft.dataset.DatasetProblem;
import io.nnft.dataset.DatasetVerifier;
import io.nnft.dataset.VerificationReport;
import io.nnft.events.Problem;
import io.nnft.gateway.ProblemException;
import io.nnft.gateway.config.GatewayConfig;
import io.nnft.imageio.Nifti;
import io.nnft.services.common.WorkDirs;
import io.nnft.storage.InvalidLocationException;
import io.nnft.storage.ObjectLayout;
import io.nnft.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * {@code POST /datasets}: an uploaded zip of an nnU-Net raw dataset is unpacked to scratch, verified
 * like nnU-Net's {@code --verify_dataset_integrity}, and only then copied to {@code datasets/<name>/}.
 * A dataset with errors never reaches the bucket.
 */
@ApplicationScoped
public class DatasetIntake {
    private static final Logger LOG = Logger.getLogger(DatasetIntake.class);

    @Inject
    GatewayConfig config;

    @Inject
    ObjectStore store;

    /** What was accepted. */
    public record Accepted(String name, String dataset, int cases, int files, List<String> warnings) {
    }

    public Accepted accept(InputStream zip, String requestedName, boolean overwrite) throws IOException {
        if (requestedName != null && !requestedName.isBlank()) {
            checkName(requestedName, "name");
        }
        Path scratch = config.uploads().workDir().resolve("upload-" + UUID.randomUUID());
        try {
            Files.createDirectories(scratch);
            Path zipFile = scratch.resolve("upload.zip");
            copyLimited(zip, zipFile, config.uploads().maxZipBytes());
            Path raw = scratch.resolve("raw");
            new ZipUnpacker(new ZipUnpacker.Limits(config.uploads().maxUnpackedBytes(), config.uploads().maxEntryBytes(),
                    config.uploads().maxEntries(), config.uploads().maxCompressionRatio())).unpack(zipFile, raw);
            Path root = datasetRoot(raw);
            String name = requestedName != null && !requestedName.isBlank() ? requestedName
                    : checkName(root.equals(raw) ? "" : root.getFileName().toString(), "name");
            requireFileEnding(root);
            VerificationReport report = new DatasetVerifier(2, Nifti.DEFAULT_MAX_BYTES).verify(root);
            if (!report.isOk()) {
                throw new ProblemException(400, "invalid dataset", report.errors().stream()
                        .map(p -> new Problem(p.where(), p.what() + ": " + p.expected(), p.found())).toList());
            }
            String prefix = ObjectLayout.dataset(name);
            if (!store.list(prefix).isEmpty()) {
                if (!overwrite) {
                    throw new ProblemException(409, "dataset exists", new Problem("name",
                            "a dataset name not yet in s3://" + store.bucket() + "/datasets/ (or overwrite=true)",
                            "'" + name + "', already uploaded"));
                }
                store.deletePrefix(prefix);
            }
            List<String> keys = store.uploadDirectory(root, prefix);
            LOG.infof("accepted dataset %s: %d case(s), %d file(s)", name, report.caseCount(), keys.size());
            return new Accepted(name, "s3://" + store.bucket() + "/" + prefix, report.caseCount(), keys.size(),
                    report.warnings().stream().map(DatasetProblem::toString).toList());
        } finally {
            WorkDirs.deleteRecursively(scratch);
        }
    }

    private static String checkName(String name, String where) {
        try {
            ObjectLayout.dataset(name);
            return name;
        } catch (InvalidLocationException e) {
            throw new ProblemException(400, "invalid dataset name", new Problem(where,
                    "an nnU-Net dataset name like Dataset001_Name (query parameter 'name', or the zip's one top-level"
                            + " folder)", name.isEmpty() ? "nothing (dataset.json at the zip's root)" : "'" + name + "'"));
        }
    }

    /** The folder holding dataset.json: the zip's root or its single top-level folder. */
    private static Path datasetRoot(Path raw) throws IOException {
        if (Files.isRegularFile(raw.resolve("dataset.json"))) {
            return raw;
        }
        List<Path> dirs;
        try (Stream<Path> s = Files.list(raw)) {
            dirs = s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().equals("__MACOSX")).toList();
        }
        if (dirs.size() == 1 && Files.isRegularFile(dirs.get(0).resolve("dataset.json"))) {
            return dirs.get(0);
        }
        throw new ProblemException(400, "invalid dataset", new Problem("dataset.json",
                "dataset.json at the zip's root or in its single top-level folder",
                dirs.isEmpty() ? "no dataset.json" : "top-level folders " + dirs.stream()
                        .map(p -> p.getFileName().toString()).sorted().toList()));
    }

    /** Every file under imagesTr/, imagesTs/ and labelsTr/ has dataset.json's file_ending (nothing else is stored). */
    private static void requireFileEnding(Path root) throws IOException {
        String ending;
        try {
            ending = new com.fasterxml.jackson.databind.ObjectMapper().readTree(root.resolve("dataset.json").toFile())
                    .path("file_ending").asText("");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return; // the verifier names what is wrong with dataset.json
        }
        if (ending.isEmpty()) {
            return;
        }
        List<Problem> wrong = new java.util.ArrayList<>();
        for (String folder : List.of("imagesTr", "imagesTs", "labelsTr")) {
            Path dir = root.resolve(folder);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> !p.getFileName().toString().endsWith(ending)).sorted().forEach(p -> wrong.add(
                        new Problem(folder + "/" + p.getFileName(), "a file ending in " + ending
                                + " (dataset.json file_ending)", "'" + p.getFileName() + "'")));
            }
        }
        if (!wrong.isEmpty()) {
            throw new ProblemException(400, "not a dataset file", wrong);
        }
    }

    private static void copyLimited(InputStream in, Path file, long limit) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long total = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (total > limit) {
                    throw new ProblemException(413, "upload too large", new Problem("body",
                            "a zip of at most " + limit + " bytes", "more"));
                }
                out.write(buffer, 0, n);
            }
        }
    }
}
