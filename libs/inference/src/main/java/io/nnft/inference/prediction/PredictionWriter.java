package io.nnft.inference.prediction;

import io.nnft.imageio.DType;
import io.nnft.imageio.NdArray;
import io.nnft.imageio.Nifti;
import io.nnft.imageio.NiftiImage;
import io.nnft.imageio.Npy;
import io.nnft.imageio.Npz;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Writes what export_prediction_from_logits writes: the segmentation as NIfTI with the geometry of the
 * case's input image (uint8, or uint16 from 255 labels on), and on request the probabilities as
 * {@code <case>.npz} holding {@code probabilities} (float32, heads × z × y × x), like np.savez_compressed.
 */
public final class PredictionWriter {
    private PredictionWriter() {
    }

    /**
     * @param geometry an image of the case in its original array order (an input channel or the reference
     *                 label); only its header is used
     */
    public static void writeSegmentation(Path file, ExportedPrediction p, NiftiImage geometry, int maxLabel)
            throws IOException {
        long[] shape = new long[p.shape().length];
        for (int a = 0; a < shape.length; a++) {
            shape[a] = p.shape()[a];
        }
        if (!Arrays.equals(shape, geometry.shape())) {
            throw new IllegalArgumentException(file + ": prediction shape (z, y, x) " + Arrays.toString(shape)
                    + " differs from the input image's " + Arrays.toString(geometry.shape()));
        }
        short[] seg = p.segmentation();
        NdArray data;
        if (maxLabel < 255) {
            byte[] b = new byte[seg.length];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) seg[i];
            }
            data = new NdArray(DType.UINT8, shape, ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN));
        } else {
            ByteBuffer bb = ByteBuffer.allocate(seg.length * 2).order(ByteOrder.LITTLE_ENDIAN);
            bb.asShortBuffer().put(seg);
            data = new NdArray(DType.UINT16, shape, bb);
        }
        Nifti.write(file, geometry.withData(data)); // itself atomic
    }

    /** np.savez_compressed(file, probabilities=...): a deflated zip with one {@code probabilities.npy}. */
    public static void writeProbabilities(Path file, ExportedPrediction p) throws IOException {
        float[][] probs = p.probabilities();
        if (probs == null) {
            throw new IllegalArgumentException(file + ": the prediction was exported without probabilities");
        }
        long[] shape = new long[1 + p.shape().length];
        shape[0] = probs.length;
        for (int a = 0; a < p.shape().length; a++) {
            shape[1 + a] = p.shape()[a];
        }
        int n = probs[0].length;
        ByteBuffer bb = ByteBuffer.allocate(Math.multiplyExact(probs.length * 4, n)).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] h : probs) {
            bb.asFloatBuffer().put(h);
            bb.position(bb.position() + h.length * 4);
        }
        bb.flip();
        NdArray array = new NdArray(DType.FLOAT32, shape, bb);
        Npz.writeCompressed(file, java.util.Map.of("probabilities", array));
    }
}
