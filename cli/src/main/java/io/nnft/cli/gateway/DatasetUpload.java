package io.nnft.cli.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.nnft.cli.BadInputException;
import io.nnft.dataset.DatasetProblem;
import io.nnft.dataset.DatasetVerifier;
import io.nnft.dataset.VerificationReport;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A local raw dataset folder on its way to the bucket: verified here first (so a broken dataset fails
 * before anything is sent), zipped under its folder name, and posted to {@code POST /datasets}.
 */
final class DatasetUpload {
    private DatasetUpload() {
    }

    /** Uploads {@code dir}; returns the dataset's location in the bucket. */
    static String upload(GatewayClient client, Path dir, boolean overwrite, PrintWriter out) throws IOException {
        String name = dir.toAbsolutePath().normalize().getFileName().toString();
        if (!name.matches("^Dataset\\d{3}_[A-Za-z0-9_.-]+$")) {
            throw new BadInputException(dir + ": a local dataset folder must be named like nnU-Net's Dataset001_Name,"
                    + " found '" + name + "'");
        }
        VerificationReport report = new DatasetVerifier().verify(dir);
        if (!report.isOk()) {
            throw new BadInputException(dir + ": " + report.errors().size() + " error(s), not uploaded:\n  "
                    + report.errors().stream().map(DatasetProblem::toString).collect(Collectors.joining("\n  ")));
        }
        Path zip = Files.createTempFile("nnft-" + name, ".zip");
        try {
            zip(dir, name, zip);
            out.println("uploading: " + dir + " (" + report.caseCount() + " case(s), " + Files.size(zip) + " bytes)");
            out.flush();
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("name", name);
            params.put("overwrite", overwrite);
            JsonNode r = client.postZip(GatewayClient.query("datasets", params), zip);
            out.println("dataset: " + r.path("dataset").asText());
            return r.path("dataset").asText();
        } finally {
            Files.deleteIfExists(zip);
        }
    }

    /** Zips every regular file below {@code dir} as {@code folder/<relative path>}. */
    static void zip(Path dir, String folder, Path zip) throws IOException {
        try (OutputStream os = Files.newOutputStream(zip); ZipOutputStream zout = new ZipOutputStream(os);
             Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                zout.putNextEntry(new ZipEntry(folder + "/" + dir.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, zout);
                zout.closeEntry();
            }
        }
    }
}
