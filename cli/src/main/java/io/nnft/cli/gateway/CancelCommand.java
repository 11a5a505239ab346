package io.nnft.cli.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nnft cancel JOB}: publishes JobCancelRequested through the gateway. */
@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = "Cancel a job: every stage stops working on it. With --purge its objects (plans, preprocessed"
                + " data, checkpoints, export) are deleted too, also for a job that already finished.")
public final class CancelCommand extends GatewayCommand {
    @Parameters(index = "0", paramLabel = "JOB", description = "the job id")
    String jobId;

    @Option(names = "--purge", description = "also delete everything stored under jobs/JOB/")
    boolean purge;

    @Option(names = "--reason", paramLabel = "TEXT", description = "why (shown in the job's status)")
    String reason;

    @Override
    int run(GatewayClient client) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("purge", purge ? true : null);
        params.put("reason", reason);
        JsonNode r = client.delete(GatewayClient.query("jobs/" + GatewayClient.segment(jobId), params));
        out().println("cancel requested: " + r.path("jobId").asText(jobId));
        if (r.has("purgedObjects")) {
            out().println("purged: " + r.path("purgedObjects").asInt() + " object(s)");
        }
        return 0;
    }
}
