package io.nnft.cli.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.nnft.cli.BadInputException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nnft fetch JOB --output DIR}: downloads a job's artifacts through their presigned URLs. */
@Command(name = "fetch", mixinStandardHelpOptions = true,
        description = "Download a job's artifacts (export/: encoder.safetensors, encoder.pth, manifest.json,"
                + " nnunet_model/; model/: checkpoints) into DIR, keeping their layout; sha256 checked where the"
                + " exporter recorded one.")
public final class FetchCommand extends GatewayCommand {
    @Parameters(index = "0", paramLabel = "JOB", description = "the job id")
    String jobId;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "where to write the files")
    Path output;

    @Option(names = "--kind", paramLabel = "KIND", defaultValue = "all",
            description = "export, checkpoint or all (default: ${DEFAULT-VALUE})")
    String kind;

    @Override
    int run(GatewayClient client) throws IOException {
        if (!kind.equals("all") && !kind.equals("export") && !kind.equals("checkpoint")) {
            throw new BadInputException("--kind: expected export, checkpoint or all, found '" + kind + "'");
        }
        JsonNode listing = client.get("jobs/" + GatewayClient.segment(jobId) + "/artifacts");
        Path root = output.toAbsolutePath().normalize();
        int count = 0;
        for (JsonNode a : listing.path("artifacts")) {
            if (!kind.equals("all") && !kind.equals(a.path("kind").asText())) {
                continue;
            }
            String name = a.path("name").asText();
            Path target = root.resolve(name).normalize();
            if (name.isEmpty() || !target.startsWith(root) || target.equals(root)) {
                throw new GatewayException("the gateway named an artifact '" + name + "' that would land outside "
                        + root + "; refusing it");
            }
            long size = client.download(URI.create(a.path("url").asText()), target);
            if (a.hasNonNull("sha256") && !a.get("sha256").asText().equalsIgnoreCase(sha256(target))) {
                throw new GatewayException(name + ": sha256 expected " + a.get("sha256").asText() + ", found "
                        + sha256(target) + " (download corrupted?)");
            }
            out().println("fetched: " + target + " (" + size + " bytes)");
            count++;
        }
        if (count == 0) {
            throw new BadInputException("job " + jobId + " has no " + (kind.equals("all") ? "" : kind + " ")
                    + "artifacts yet (stage " + listing.path("stage").asText() + ")");
        }
        out().println("fetched " + count + " file(s) of " + jobId + " into " + root);
        return 0;
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                md.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
