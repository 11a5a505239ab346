package io.nnft.cli.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Set;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Follows one job on {@code GET /jobs/{id}/events}: a line per stage, and per epoch either a progress
 * bar (on a terminal) or a line (in logs and pipes), until the job is exported, failed or cancelled.
 */
public final class JobWatcher {
    static final Set<String> TERMINAL = Set.of("exported", "failed", "cancelled");

    private final GatewayClient client;
    private final PrintWriter out;
    private final PrintStream barStream;
    private ProgressBar bar;
    private JsonNode last;

    /** @param barStream where progress bars are drawn; null for one plain line per epoch on {@code out} */
    public JobWatcher(GatewayClient client, PrintWriter out, PrintStream barStream) {
        this.client = client;
        this.out = out;
        this.barStream = barStream;
    }

    /** Returns the job's last view (its {@code stage} is terminal). */
    public JsonNode watch(String jobId) {
        try (InputStream in = client.stream("jobs/" + GatewayClient.segment(jobId) + "/events")) {
            ServerSentEvents.read(in, e -> {
                JsonNode data = parse(e.data());
                last = data.path("job");
                show(e.name(), data.path("data"), last);
                out.flush();
                return !TERMINAL.contains(last.path("stage").asText());
            });
        } catch (IOException e) {
            throw new GatewayException("the event stream of " + jobId + " broke: " + e, e);
        } finally {
            closeBar();
        }
        if (last == null || !TERMINAL.contains(last.path("stage").asText())) {
            throw new GatewayException("the event stream of " + jobId + " ended while the job was "
                    + (last == null ? "unknown" : last.path("stage").asText()) + "; run nnft watch " + jobId + " again");
        }
        return last;
    }

    private void show(String event, JsonNode e, JsonNode job) {
        switch (event) {
            case "status" -> {
                out.println("job: " + job.path("jobId").asText() + " (" + job.path("stage").asText() + ", dataset "
                        + job.path("dataset").asText() + ")");
                if (job.hasNonNull("epoch")) {
                    epoch(job.path("epoch").asInt(), job.path("epochs").asInt(), job.path("metrics"));
                }
                if (TERMINAL.contains(job.path("stage").asText())) {
                    ended(job);
                }
            }
            case "FineTuneRequested" -> out.println("requested: " + e.path("dataset").asText());
            case "PlansReady" -> out.println("planned: " + e.path("datasetName").asText() + ", "
                    + e.path("numTrainingCases").asInt() + " training case(s), " + e.path("configuration").asText()
                    + (e.path("plansFromPretrained").asBoolean() ? ", plans of the pretrained model" : ""));
            case "PreprocessingCompleted" -> out.println("preprocessed: " + e.path("numCases").asInt() + " case(s)");
            case "TrainingStarted" -> out.println("training: attempt " + e.path("attempt").asInt() + " on "
                    + e.path("trainer").asText());
            case "TrainingProgress" -> epoch(e.path("epoch").asInt(), e.path("epochs").asInt(), e.path("metrics"));
            case "TrainingCompleted" -> {
                closeBar();
                out.println("completed: " + e.path("epochsRun").asText("?") + " epoch(s)"
                        + (e.path("earlyStopped").asBoolean() ? " (early stop)" : "")
                        + best(e)
                        + optional(", final validation Dice ", e.path("finalValidationDice")));
            }
            case "EncoderExported", "JobFailed" -> ended(job);
            case "JobCancelRequested" -> out.println("cancel requested" + optional(": ", e.path("reason")));
            default -> {
                // an event type newer than this client: the view still says where the job is
            }
        }
    }

    private void ended(JsonNode job) {
        closeBar();
        switch (job.path("stage").asText()) {
            case "exported" -> {
                StringBuilder names = new StringBuilder();
                for (JsonNode a : job.path("artifacts")) {
                    names.append(names.length() == 0 ? "" : ", ").append(a.path("name").asText());
                }
                out.println("exported: " + names + optional(" to ", job.path("exportPrefix")));
            }
            case "failed", "cancelled" -> {
                JsonNode f = job.path("failure");
                out.println(job.path("stage").asText() + optional(" at ", f.path("stage")) + ": "
                        + f.path("reason").asText("no reason given"));
                for (JsonNode p : f.path("problems")) {
                    out.println("  " + p.path("where").asText() + ": expected " + p.path("expected").asText()
                            + ", found " + p.path("found").asText());
                }
            }
            default -> {
            }
        }
    }

    private void epoch(int epoch, int epochs, JsonNode metrics) {
        String summary = metricSummary(metrics);
        if (barStream == null) {
            out.println("epoch " + (epoch + 1) + "/" + epochs + (summary.isEmpty() ? "" : ": " + summary));
            return;
        }
        if (bar == null) {
            bar = new ProgressBarBuilder().setTaskName("training").setInitialMax(Math.max(epochs, 1))
                    .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(barStream))
                    .setUnit(" epochs", 1).build();
        }
        bar.maxHint(Math.max(epochs, 1));
        bar.stepTo(epoch + 1L);
        bar.setExtraMessage(summary);
    }

    /** The metrics people look at first, in a fixed order. */
    static String metricSummary(JsonNode metrics) {
        StringBuilder s = new StringBuilder();
        for (String name : new String[] {"ema_pseudo_dice", "mean_pseudo_dice", "train_loss", "val_loss",
            "balanced_accuracy", "auc", "lr"}) {
            JsonNode v = metrics.path(name);
            if (v.isNumber()) {
                s.append(s.length() == 0 ? "" : " ").append(name).append('=').append(String.format("%.4g", v.asDouble()));
            }
        }
        return s.toString();
    }

    /** Segmentation reports its best EMA pseudo-Dice, a classifier its monitored metric (bestMetric). */
    static String best(JsonNode completed) {
        JsonNode m = completed.path("bestMetric");
        if (m.isObject() && !"ema_pseudo_dice".equals(m.path("name").asText())) {
            return ", best " + m.path("name").asText() + " " + String.format("%.4g", m.path("value").asDouble())
                    + " at epoch " + m.path("epoch").asInt();
        }
        return optional(", best EMA pseudo-Dice ", completed.path("bestEmaPseudoDice"));
    }

    private static String optional(String prefix, JsonNode value) {
        return value == null || value.isMissingNode() || value.isNull() ? "" : prefix + value.asText();
    }

    private void closeBar() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    private static JsonNode parse(String data) {
        try {
            return GatewayClient.JSON.readTree(data);
        } catch (IOException e) {
            throw new GatewayException("the gateway sent an event that is not JSON: " + data, e);
        }
    }
}
