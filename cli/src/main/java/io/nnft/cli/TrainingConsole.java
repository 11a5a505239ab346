package io.nnft.cli;

import io.nnft.network.ParameterReport;
import io.nnft.training.EpochSummary;
import io.nnft.training.TrainingListener;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What `nnft train` shows of any task: messages, trainable-parameter reports and one line per epoch on stdout
 * (losses, the task's scores, learning rates, time, data wait, ETA), and a progress bar per epoch on stderr when
 * there is a terminal (without one a redrawn bar is just noise in a log).
 */
final class TrainingConsole implements TrainingListener {
    private final boolean bar;
    private ProgressBar progress;

    TrainingConsole(boolean bar) {
        this.bar = bar;
    }

    @Override
    public void message(String text) {
        System.out.println(text);
    }

    @Override
    public void parameterReport(int epoch, List<ParameterReport.Row> rows) {
        System.out.println("trainable parameters at epoch " + epoch + ":");
        System.out.print(ParameterReport.format(rows));
    }

    @Override
    public void epochStarted(int epoch, int epochs, int iterations) {
        if (bar) {
            progress = new ProgressBarBuilder().setTaskName("epoch " + (epoch + 1) + "/" + epochs)
                    .setInitialMax(iterations).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).build();
        }
    }

    @Override
    public void iterationDone(int epoch, int iteration, float loss) {
        if (progress != null) {
            progress.step();
            progress.setExtraMessage(String.format(Locale.ROOT, "loss %.4f", loss));
        }
    }

    @Override
    public void epochEnded(EpochSummary r, List<String> classNames, int epochs, double etaSeconds) {
        if (progress != null) {
            progress.close();
            progress = null;
        }
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "epoch %d: train loss %.4f, val loss %.4f",
                r.epoch(), r.trainLoss(), r.valLoss()));
        append(line, r.plotted(), "%.4f");
        append(line, r.learningRates(), "%.6f");
        line.append(String.format(Locale.ROOT, ", %.1f s (data wait %.2f s), eta %.0f s", r.epochTimeSeconds(),
                r.dataWaitSeconds(), etaSeconds));
        System.out.println(line);
    }

    private static void append(StringBuilder line, Map<String, Double> values, String format) {
        values.forEach((k, v) -> line.append(", ").append(k).append(' ').append(String.format(Locale.ROOT, format, v)));
    }
}
