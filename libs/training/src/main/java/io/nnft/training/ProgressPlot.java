package io.nnft.training;

import io.nnft.imageio.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code progress.png} like nnU-Net's: losses (train, val) and pseudo-Dice (mean, EMA), epoch duration, and
 * the learning rate, stacked vertically.
 */
public final class ProgressPlot {
    private static final int WIDTH = 1200;
    private static final int HEIGHT = 360;

    private ProgressPlot() {
    }

    public static void write(Path file, List<EpochRecord> log) throws IOException {
        System.setProperty("java.awt.headless", "true");
        if (log.isEmpty()) {
            return;
        }
        double[] x = new double[log.size()];
        double[] train = new double[x.length];
        double[] val = new double[x.length];
        double[] dice = new double[x.length];
        double[] ema = new double[x.length];
        double[] time = new double[x.length];
        double[] lr = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            EpochRecord r = log.get(i);
            x[i] = r.epoch();
            train[i] = r.trainLoss();
            val[i] = r.valLoss();
            dice[i] = Double.isNaN(r.meanPseudoDice()) ? 0 : r.meanPseudoDice();
            ema[i] = Double.isNaN(r.emaPseudoDice()) ? 0 : r.emaPseudoDice();
            time[i] = r.epochTimeSeconds();
            lr[i] = r.lr();
        }
        XYChart losses = chart("loss / pseudo-Dice");
        losses.addSeries("train loss", x, train);
        losses.addSeries("val loss", x, val);
        losses.addSeries("pseudo dice", x, dice);
        losses.addSeries("pseudo dice (EMA)", x, ema);
        XYChart epochTime = chart("epoch duration [s]");
        epochTime.addSeries("epoch duration", x, time);
        XYChart lrs = chart("learning rate");
        lrs.addSeries("learning rate", x, lr);
        writeStacked(file, List.of(losses, epochTime, lrs));
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
