package io.nnft.preprocessing;

import io.nnft.preprocessing.cropping.CropBox;
import io.nnft.preprocessing.cropping.CropToNonzero;
import io.nnft.preprocessing.normalization.ImageNormalization;
import io.nnft.preprocessing.resampling.DefaultResampling;
import io.nnft.preprocessing.resampling.SeparateZ;
import io.nnft.preprocessing.sampling.ClassLocations;

import java.util.Arrays;
import java.util.Map;

/**
 * nnU-Net's DefaultPreprocessor.run_case_npy, in its order: transpose, crop to the nonzero region,
 * normalize (before resampling, so the mask still fits the image), resample to the configuration's
 * spacing, then sample class locations from the resampled label map. Arrays stay primitive; the
 * work inside one volume is split over {@link Parallel}.
 */
public final class DefaultPreprocessor {
    private final PreprocessingPlan plan;
    private final Parallel parallel;

    public DefaultPreprocessor(PreprocessingPlan plan, Parallel parallel) {
        this.plan = plan;
        this.parallel = parallel;
    }

    /**
     * Preprocesses one case. Consumes the case: its arrays are released ({@link RawCase#release})
     * once cropped, to keep the memory of large cases bounded.
     */
    public PreprocessedCase run(RawCase raw) {
        String id = raw.identifier();
        if (raw.data().length != plan.channels()) {
            throw new IllegalArgumentException(id + ": has " + raw.data().length + " channels, configuration '"
                    + plan.configuration() + "' normalizes " + plan.channels());
        }
        int[] order = plan.transposeForward();
        if (order.length != raw.shape().length) {
            throw new IllegalArgumentException(id + ": transpose_forward " + Arrays.toString(order)
                    + " does not fit an image of shape " + Arrays.toString(raw.shape()));
        }
        boolean hasSeg = raw.hasSeg();
        int[] rawShape = raw.shape();
        float[][] data = new float[raw.data().length][];
        for (int c = 0; c < data.length; c++) {
            data[c] = Transpose.apply(raw.data()[c], rawShape, order);
        }
        short[][] seg = {hasSeg ? Transpose.apply(raw.seg(), rawShape, order) : null};
        // from here on only our references keep the uncropped arrays, and cropping hands them over
        raw.release();
        int[] shapeBeforeCropping = Transpose.shape(rawShape, order);
        double[] originalSpacing = Transpose.spacing(raw.spacing(), order);

        CropToNonzero.Result cropped = CropToNonzero.cropConsuming(data, seg, shapeBeforeCropping);
        data = cropped.data();
        short[] labels = cropped.seg();
        int[] shape = cropped.shape();
        CropBox box = cropped.box();
        cropped = null; // it would keep the cropped label map alive after resampling

        double[] targetSpacing = targetSpacing(originalSpacing);
        int[] newShape = DefaultResampling.computeNewShape(shape, originalSpacing, targetSpacing);

        for (int c = 0; c < data.length; c++) {
            ImageNormalization.of(plan.normalizationSchemes().get(c), plan.useMaskForNorm()[c],
                    plan.intensityProperties().get(c)).run(data[c], labels);
        }

        SeparateZ dataSep = SeparateZ.decide(plan.dataKwargs().forceSeparateZ(), originalSpacing, targetSpacing);
        for (int c = 0; c < data.length; c++) {
            float[] channel = data[c];
            data[c] = null; // the resampler may drop the input after its first pass
            data[c] = DefaultResampling.resampleData(channel, shape, newShape, dataSep, plan.dataKwargs(), parallel);
        }
        SeparateZ segSep = SeparateZ.decide(plan.segKwargs().forceSeparateZ(), originalSpacing, targetSpacing);
        labels = DefaultResampling.resampleSeg(labels, shape, newShape, segSep, plan.segKwargs(), parallel);

        Map<String, int[][]> locations = hasSeg
                ? ClassLocations.sample(labels, newShape, plan.labels().classesForLocations()) : null;
        CaseProperties props = new CaseProperties(raw.readerProperties(), raw.spacing(), shapeBeforeCropping,
                box, shape, locations);
        return new PreprocessedCase(id, data, newShape, labels, props);
    }

    /** 2d configurations keep the spacing between slices: their 2 entries get the case's own first one. */
    private double[] targetSpacing(double[] originalSpacing) {
        double[] s = plan.spacing();
        if (s.length == originalSpacing.length) {
            return s.clone();
        }
        if (s.length == originalSpacing.length - 1) {
            double[] t = new double[originalSpacing.length];
            t[0] = originalSpacing[0];
            System.arraycopy(s, 0, t, 1, s.length);
            return t;
        }
        throw new IllegalArgumentException("configuration '" + plan.configuration() + "' spacing "
                + Arrays.toString(s) + " does not fit an image with spacing " + Arrays.toString(originalSpacing));
    }
}
