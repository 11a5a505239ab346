package io.nnft.training;

import io.nnft.imageio.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code progress.png} like nnU-Net's, for any task: losses (train, val) with the task's scores (pseudo-Dice mean
 * and EMA; a classifier's accuracy, balanced accuracy and AUC), epoch duration, and the learning rates, stacked
 * vertically.
 */
public final class ProgressPlot {
    private static final int WIDTH = 1200;
    private static final int HEIGHT = 360;

    private ProgressPlot() {
    }

    public static void write(Path file, List<? extends EpochSummary> log) throws IOException {
        System.setProperty("java.awt.headless", "true");
        if (log.isEmpty()) {
            return;
        }
        double[] x = new double[log.size()];
        Map<String, double[]> first = new LinkedHashMap<>();
        Map<String, double[]> lrs = new LinkedHashMap<>();
        double[] time = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            EpochSummary r = log.get(i);
            x[i] = r.epoch();
            first.computeIfAbsent("train loss", k -> new double[x.length])[i] = finite(r.trainLoss());
            first.computeIfAbsent("val loss", k -> new double[x.length])[i] = finite(r.valLoss());
            int at = i;
            r.plotted().forEach((k, v) -> first.computeIfAbsent(k, n -> new double[x.length])[at] = finite(v));
            r.learningRates().forEach((k, v) -> lrs.computeIfAbsent(k, n -> new double[x.length])[at] = v);
            time[i] = r.epochTimeSeconds();
        }
        XYChart losses = chart("loss / " + String.join(" / ", log.get(0).plotted().keySet()));
        first.forEach((k, v) -> losses.addSeries(k, x, v));
        XYChart epochTime = chart("epoch duration [s]");
        epochTime.addSeries("epoch duration", x, time);
        XYChart lr = chart("learning rate");
        lrs.forEach((k, v) -> lr.addSeries(k, x, v));
        writeStacked(file, List.of(losses, epochTime, lr));
    }

    /** NaN (no score yet) or an infinite loss drawn as 0: xchart cannot draw them. */
    private static double finite(double v) {
        return Double.isFinite(v) ? v : 0;
    }

    /** Charts of {@link #chart} stacked vertically into one PNG, written atomically. */
    public static void writeStacked(Path file, List<XYChart> charts) throws IOException {
        BufferedImage out = new BufferedImage(WIDTH, charts.size() * HEIGHT, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = out.createGraphics();
        int y = 0;
        for (XYChart c : charts) {
            g.drawImage(BitmapEncoder.getBufferedImage(c), 0, y, null);
            y += HEIGHT;
        }
        g.dispose();
        AtomicFiles.write(file, tmp -> javax.imageio.ImageIO.write(out, "png", tmp.toFile()));
    }

    /** One panel over epochs, in progress.png's size and style. */
    public static XYChart chart(String title) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("epoch").build();
        c.getStyler().setMarkerSize(3);
        return c;
    }
}
