package io.nnft.inference.prediction;

import io.nnft.inference.LabelLayout;
import io.nnft.preprocessing.CaseProperties;
import io.nnft.preprocessing.Parallel;
import io.nnft.preprocessing.Transpose;
import io.nnft.preprocessing.cropping.CropBox;
import io.nnft.preprocessing.resampling.DefaultResampling;
import io.nnft.preprocessing.resampling.SeparateZ;

import java.util.Arrays;

/**
 * convert_predicted_logits_to_segmentation_with_correct_shape: the logits go back to the cropped shape
 * with resampling_fn_probabilities (linear in plane, as the plans say), then softmax (sigmoid per region),
 * argmax (or regions_class_order), the crop is undone (zeros outside the bounding box) and the transpose
 * reverted, giving an array in the input file's order.
 */
public final class PredictionExport {
    private PredictionExport() {
    }

    /**
     * @param logits per head, row-major at the preprocessed {@code shape}; consumed (overwritten)
     */
    public static ExportedPrediction export(float[][] logits, int[] shape, CaseProperties props, ExportPlan plan,
                                            boolean withProbabilities, Parallel parallel) {
        LabelLayout labels = plan.labels();
        if (logits.length != labels.numSegmentationHeads()) {
            throw new IllegalArgumentException("the network predicts " + logits.length + " heads, dataset.json's labels need "
                    + labels.numSegmentationHeads());
        }
        int[] cropped = props.shapeAfterCroppingAndBeforeResampling();
        double[] targetSpacing = Transpose.spacing(props.spacing(), plan.transposeForward());
        double[] currentSpacing = currentSpacing(plan.configurationSpacing(), targetSpacing);
        SeparateZ sep = SeparateZ.decide(plan.probabilitiesKwargs().forceSeparateZ(), currentSpacing, targetSpacing);
        float[][] probs = new float[logits.length][];
        for (int h = 0; h < logits.length; h++) {
            float[] l = logits[h];
            logits[h] = null;
            probs[h] = DefaultResampling.resampleData(l, shape, cropped, sep, plan.probabilitiesKwargs(), parallel);
        }
        int n = CropBox.size(cropped);
        short[] seg = new short[n];
        if (labels.hasRegions()) {
            int[] order = labels.regionsClassOrder();
            for (float[] p : probs) {
                for (int i = 0; i < n; i++) {
                    p[i] = (float) (1.0 / (1.0 + Math.exp(-p[i])));
                }
            }
            for (int r = 0; r < probs.length; r++) {
                float[] p = probs[r];
                for (int i = 0; i < n; i++) {
                    if (p[i] > 0.5f) {
                        seg[i] = (short) order[r];
                    }
                }
            }
        } else {
            softmaxArgmax(probs, seg, labels, parallel);
        }
        CropBox box = props.bboxUsedForCropping();
        int[] before = props.shapeBeforeCropping();
        short[] full = new short[CropBox.size(before)];
        paste(seg, cropped, box, full, before);
        int[] originalShape = Transpose.shape(before, plan.transposeBackward());
        short[] reverted = Transpose.apply(full, before, plan.transposeBackward());
        float[][] outProbs = null;
        if (withProbabilities) {
            outProbs = new float[probs.length][];
            for (int h = 0; h < probs.length; h++) {
                float[] p = new float[full.length];
                if (h == 0 && !labels.hasRegions()) {
                    Arrays.fill(p, 1f);
                }
                paste(probs[h], cropped, box, p, before);
                probs[h] = null;
                outProbs[h] = Transpose.apply(p, before, plan.transposeBackward());
            }
        }
        return new ExportedPrediction(originalShape, reverted, outProbs);
    }

    /** The spacing the logits have: the configuration's; a 2d one keeps the case's own first axis. */
    static double[] currentSpacing(double[] configurationSpacing, double[] caseSpacingTransposed) {
        if (configurationSpacing.length == caseSpacingTransposed.length) {
            return configurationSpacing.clone();
        }
        double[] s = new double[caseSpacingTransposed.length];
        s[0] = caseSpacingTransposed[0];
        System.arraycopy(configurationSpacing, 0, s, 1, configurationSpacing.length);
        return s;
    }

    /** Softmax over the heads in place, then the label with the highest probability (first on ties, as argmax). */
    private static void softmaxArgmax(float[][] probs, short[] seg, LabelLayout labels, Parallel parallel) {
        int heads = probs.length;
        int[] labelOf = new int[heads];
        for (int h = 0; h < heads; h++) {
            labelOf[h] = labels.allLabels().get(h).labels()[0];
        }
        parallel.forRange(seg.length, (from, to) -> {
            for (int i = from; i < to; i++) {
                float max = Float.NEGATIVE_INFINITY;
                for (float[] p : probs) {
                    max = Math.max(max, p[i]);
                }
                double sum = 0;
                for (float[] p : probs) {
                    float e = (float) Math.exp(p[i] - max);
                    p[i] = e;
                    sum += e;
                }
                int best = 0;
                float bestP = Float.NEGATIVE_INFINITY;
                for (int h = 0; h < heads; h++) {
                    float v = (float) (probs[h][i] / sum);
                    probs[h][i] = v;
                    if (v > bestP) {
                        bestP = v;
                        best = h;
                    }
                }
                seg[i] = (short) labelOf[best];
            }
        });
    }

    private static void paste(short[] src, int[] srcShape, CropBox box, short[] dst, int[] dstShape) {
        rows(srcShape, box, dstShape, (s, d, len) -> System.arraycopy(src, s, dst, d, len));
    }

    private static void paste(float[] src, int[] srcShape, CropBox box, float[] dst, int[] dstShape) {
        rows(srcShape, box, dstShape, (s, d, len) -> System.arraycopy(src, s, dst, d, len));
    }

    private interface RowCopy {
        void copy(int src, int dst, int len);
    }

    /** The rows of the cropped volume and where they go in the uncropped one (bounding_box_to_slice). */
    private static void rows(int[] srcShape, CropBox box, int[] dstShape, RowCopy copy) {
        int[] expected = box.shape();
        if (!Arrays.equals(expected, srcShape)) {
            throw new IllegalArgumentException("bbox_used_for_cropping " + box + " spans " + Arrays.toString(expected)
                    + " but shape_after_cropping_and_before_resampling is " + Arrays.toString(srcShape));
        }
        int dims = srcShape.length;
        int rowLen = srcShape[dims - 1];
        int rows = CropBox.size(srcShape) / Math.max(rowLen, 1);
        int[] coord = new int[dims];
        for (int r = 0; r < rows; r++) {
            int rest = r;
            for (int a = dims - 2; a >= 0; a--) {
                coord[a] = rest % srcShape[a];
                rest /= srcShape[a];
            }
            int dst = 0;
            for (int a = 0; a < dims - 1; a++) {
                dst = dst * dstShape[a] + coord[a] + box.lo()[a];
            }
            dst = dst * dstShape[dims - 1] + box.lo()[dims - 1];
            copy.copy(r * rowLen, dst, rowLen);
        }
    }
}
