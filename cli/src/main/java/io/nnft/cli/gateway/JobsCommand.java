package io.nnft.cli.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nnft jobs}: every job the gateway knows, newest first. */
@Command(name = "jobs", mixinStandardHelpOptions = true,
        description = "List the gateway's jobs (newest first): id, stage, epoch, dataset and the failure reason"
                + " or latest EMA pseudo-Dice.")
public final class JobsCommand extends GatewayCommand {
    @Option(names = "--stage", paramLabel = "STAGE",
            description = "only jobs in this stage: requested, planned, preprocessed, training, completed, exported,"
                    + " failed, cancelled")
    String stage;

    @Option(names = "--json", description = "print the gateway's JSON instead of a table")
    boolean json;

    @Override
    int run(GatewayClient client) throws Exception {
        JsonNode jobs = client.get(GatewayClient.query("jobs", Map.of("stage", stage == null ? "" : stage)));
        if (json) {
            out().println(GatewayClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(jobs));
            return 0;
        }
        String format = "%-28s %-12s %-9s %-40s %s%n";
        out().printf(format, "JOB", "STAGE", "EPOCH", "DATASET", "DETAIL");
        for (JsonNode j : jobs.path("jobs")) {
            String epoch = j.hasNonNull("epoch") ? (j.path("epoch").asInt() + 1) + "/" + j.path("epochs").asText("?") : "-";
            String detail = j.has("failure") ? j.path("failure").path("reason").asText()
                    : j.path("metrics").has("ema_pseudo_dice") ? "ema_pseudo_dice=" + j.path("metrics").path("ema_pseudo_dice").asText()
                    : "";
            out().printf(format, j.path("jobId").asText(), j.path("stage").asText(), epoch, j.path("dataset").asText(),
                    detail);
        }
        return 0;
    }
}
