package io.nnft.cli.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nnft watch JOB}: live progress from the gateway's event stream. */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "Follow a job live: a line per stage and a progress bar over the epochs, until it is exported"
                + " (exit 0), failed or cancelled (exit 1, with the reason and every problem).")
public final class WatchCommand extends GatewayCommand {
    @Parameters(index = "0", paramLabel = "JOB", description = "the job id")
    String jobId;

    @Option(names = "--no-progress", description = "one line per epoch instead of a progress bar")
    boolean noProgress;

    @Override
    int run(GatewayClient client) {
        JsonNode job = new JobWatcher(client, out(), barStream(noProgress)).watch(jobId);
        return finish(job, out(), err());
    }

    /** Exit code for a job's final view; prints how to fetch an exported job. */
    static int finish(JsonNode job, java.io.PrintWriter out, java.io.PrintWriter err) {
        String id = job.path("jobId").asText();
        if ("exported".equals(job.path("stage").asText())) {
            out.println("fetch: ./nnft fetch " + id + " --output " + id);
            return 0;
        }
        err.println("error: job " + id + " " + job.path("stage").asText() + ": "
                + job.path("failure").path("reason").asText("no reason given"));
        return 1;
    }
}
