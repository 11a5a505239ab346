package io.nnft.classification;

import io.nnft.training.ProgressPlot;
import org.knowm.xchart.XYChart;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code progress.png} of a classifier, panels stacked like nnU-Net's: losses (train, val); accuracy, balanced
 * accuracy and AUC; learning rates (head, encoder).
 */
public final class ClassificationProgressPlot {
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
        XYChart losses = ProgressPlot.chart("loss");
        losses.addSeries("train loss", x, train);
        losses.addSeries("val loss", x, val);
        XYChart metrics = ProgressPlot.chart("validation accuracy / balanced accuracy / AUC");
        metrics.addSeries("accuracy", x, acc);
        metrics.addSeries("balanced accuracy", x, bal);
        metrics.addSeries("AUC (one-vs-rest)", x, auc);
        XYChart lrs = ProgressPlot.chart("learning rate");
        lrs.addSeries("head", x, lr);
        lrs.addSeries("encoder", x, encLr);
        ProgressPlot.writeStacked(file, List.of(losses, metrics, lrs));
    }

    private static double finite(double v) {
        return Double.isFinite(v) ? v : 0;
    }
}
