package io.nnft.classification;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * {@code progress.png} of a classifier, panels stacked like nnU-Net's: losses (train, val); accuracy, balanced
 * accuracy and AUC; learning rates (head, encoder).
 */
public final class ClassificationProgressPlot {
    private static final int WIDTH = 1200;
    private static final int HEIGHT = 360;

    private ClassificationProgressPlot() {
    }

    public static void write(Path file, List<ClassificationEpochRecord> log) throws IOException {
        System.setProperty("java.awt.headless", "true");
        if (log.isEmpty()) {
            return;
        }
        int n = log.size();
        double[] x = new double[n];
        double[] train = new double[n];
        double[] val = new double[n];
        double[] acc = new double[n];
        double[] bal = new double[n];
        double[] auc = new double[n];
        double[] lr = new double[n];
        double[] encLr = new double[n];
        for (int i = 0; i < n; i++) {
            ClassificationEpochRecord r = log.get(i);
            x[i] = r.epoch();
            train[i] = finite(r.trainLoss());
            val[i] = finite(r.valLoss());
            acc[i] = finite(r.accuracy());
            bal[i] = finite(r.balancedAccuracy());
            auc[i] = finite(r.auc());
            lr[i] = r.lr();
            encLr[i] = r.encoderLr();
        }
        XYChart losses = chart("loss");
        losses.addSeries("train loss", x, train);
        losses.addSeries("val loss", x, val);
        XYChart metrics = chart("validation accuracy / balanced accuracy / AUC");
        metrics.addSeries("accuracy", x, acc);
        metrics.addSeries("balanced accuracy", x, bal);
        metrics.addSeries("AUC (one-vs-rest)", x, auc);
        XYChart lrs = chart("learning rate");
        lrs.addSeries("head", x, lr);
        lrs.addSeries("encoder", x, encLr);
        BufferedImage out = new BufferedImage(WIDTH, 3 * HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        int y = 0;
        for (XYChart c : List.of(losses, metrics, lrs)) {
            g.drawImage(BitmapEncoder.getBufferedImage(c), 0, y, null);
            y += HEIGHT;
        }
        g.dispose();
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        javax.imageio.ImageIO.write(out, "png", tmp.toFile());
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static double finite(double v) {
        return Double.isFinite(v) ? v : 0;
    }

    private static XYChart chart(String title) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("epoch").build();
        c.getStyler().setMarkerSize(3);
        return c;
    }
}
