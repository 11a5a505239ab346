package io.nnft.cli.gateway;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.nnft.cli.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code nnft submit}: a fine-tune request (YAML or JSON file, and/or options) to {@code POST /jobs}.
 * A dataset given as an existing local folder is verified and uploaded first.
 */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = {"Submit a fine-tune request to the gateway and print the job id(s).",
            "The request is a FineTuneRequested (see schemas/README.md) as YAML or JSON; options override its"
                    + " fields. Several datasets (--dataset repeated, or 'datasets: [...]') give one job per dataset,"
                    + " all starting from the same --pretrained model. A dataset that is a local folder"
                    + " (Dataset001_Name with dataset.json, imagesTr, labelsTr) is verified and uploaded first."})
public final class SubmitCommand extends GatewayCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "REQUEST",
            description = "request file: .yaml/.yml or .json")
    Path requestFile;

    @Option(names = "--dataset", paramLabel = "DIR|s3://...",
            description = "dataset: a local raw dataset folder, s3://<bucket>/datasets/<name>/ or a key in the bucket;"
                    + " repeat for one job per dataset")
    List<String> datasets;

    @Option(names = "--pretrained", paramLabel = "s3://...", description = "pretrained nnU-Net model folder in the bucket")
    String pretrained;

    @Option(names = "--job-id", paramLabel = "ID", description = "job id (with several datasets: the base of ID-1..n)")
    String jobId;

    @Option(names = "--epochs", paramLabel = "N", description = "budget.epochs")
    Integer epochs;

    @Option(names = "--fold", paramLabel = "F", description = "0..4 or all")
    String fold;

    @Option(names = "--configuration", paramLabel = "C", description = "2d, 3d_fullres or 3d_lowres")
    String configuration;

    @Option(names = "--overwrite-dataset", description = "replace a dataset of the same name already uploaded")
    boolean overwriteDataset;

    @Option(names = "--watch", description = "follow the job until it ends (one job only), like nnft watch")
    boolean watch;

    @Option(names = "--no-progress", description = "with --watch: one line per epoch instead of a progress bar")
    boolean noProgress;

    @Override
    int run(GatewayClient client) throws IOException {
        ObjectNode request = requestFile == null ? JsonNodeFactory.instance.objectNode() : read(requestFile);
        Path base = requestFile == null ? Path.of("") : requestFile.toAbsolutePath().getParent();
        applyOptions(request);
        if (!request.has("dataset") && !request.has("datasets")) {
            throw new BadInputException("no dataset: give --dataset or 'dataset' in the request file");
        }
        if (request.path("dataset").isTextual()) {
            request.put("dataset", resolve(client, request.get("dataset").asText(), base));
        }
        if (request.path("datasets").isArray()) {
            ArrayNode resolved = JsonNodeFactory.instance.arrayNode();
            for (JsonNode d : request.get("datasets")) {
                resolved.add(d.isTextual() ? JsonNodeFactory.instance.textNode(resolve(client, d.asText(), base)) : d);
            }
            request.set("datasets", resolved);
        }
        JsonNode accepted = client.postJson("jobs", GatewayClient.JSON.writeValueAsBytes(request));
        List<String> ids = new java.util.ArrayList<>();
        for (JsonNode j : accepted.path("jobs")) {
            ids.add(j.path("jobId").asText());
            out().println("job: " + j.path("jobId").asText() + " (" + j.path("dataset").asText() + ")");
        }
        if (ids.isEmpty() && accepted.hasNonNull("jobId")) {
            ids.add(accepted.get("jobId").asText());
            out().println("job: " + ids.get(0));
        }
        if (!watch) {
            out().println("watch: ./nnft watch " + ids.get(0));
            return 0;
        }
        if (ids.size() != 1) {
            throw new BadInputException("--watch follows one job; this request made " + ids.size()
                    + ": watch each with nnft watch JOB");
        }
        out().flush();
        JsonNode job = new JobWatcher(client, out(), barStream(noProgress)).watch(ids.get(0));
        return WatchCommand.finish(job, out(), err());
    }

    private void applyOptions(ObjectNode request) {
        if (datasets != null && !datasets.isEmpty()) {
            request.remove("dataset");
            request.remove("datasets");
            if (datasets.size() == 1) {
                request.put("dataset", datasets.get(0));
            } else {
                ArrayNode array = request.putArray("datasets");
                datasets.forEach(array::add);
            }
        }
        if (pretrained != null) {
            request.put("pretrained", pretrained);
        }
        if (jobId != null) {
            request.put("jobId", jobId);
        }
        if (epochs != null) {
            (request.path("budget").isObject() ? (ObjectNode) request.get("budget") : request.putObject("budget"))
                    .put("epochs", epochs);
        }
        if (fold != null) {
            if (fold.matches("[0-4]")) {
                request.put("fold", Integer.parseInt(fold));
            } else {
                request.put("fold", fold);
            }
        }
        if (configuration != null) {
            request.put("configuration", configuration);
        }
    }

    /** A local dataset folder is uploaded and replaced by its location; anything else goes as it is. */
    private String resolve(GatewayClient client, String dataset, Path base) throws IOException {
        if (dataset.toLowerCase(Locale.ROOT).startsWith("s3://")) {
            return dataset;
        }
        Path local = base.resolve(dataset);
        if (!Files.isDirectory(local)) {
            return dataset;
        }
        return DatasetUpload.upload(client, local, overwriteDataset, out());
    }

    private static ObjectNode read(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        ObjectMapper mapper = name.endsWith(".yaml") || name.endsWith(".yml") ? new ObjectMapper(new YAMLFactory())
                : name.endsWith(".json") ? GatewayClient.JSON : null;
        if (mapper == null) {
            throw new BadInputException(file + ": expected a .yaml, .yml or .json request file");
        }
        try {
            JsonNode tree = mapper.readTree(file.toFile());
            if (tree == null || !tree.isObject()) {
                throw new BadInputException(file + ": expected a mapping of request fields (dataset, pretrained, ...),"
                        + " found " + (tree == null ? "nothing" : tree.getNodeType().toString().toLowerCase(Locale.ROOT)));
            }
            return (ObjectNode) tree;
        } catch (JacksonException e) {
            throw new BadInputException(file + ": not valid " + (mapper == GatewayClient.JSON ? "JSON" : "YAML")
                    + " at line " + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ": "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadInputException("cannot read " + file + ": " + e.getMessage());
        }
    }
}
