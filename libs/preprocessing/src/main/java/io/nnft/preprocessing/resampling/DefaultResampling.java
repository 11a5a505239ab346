package io.nnft.preprocessing.resampling;

import io.nnft.preprocessing.Parallel;

/**
 * nnU-Net's resample_data_or_seg_to_shape for one channel (images) or one label map: skimage-style
 * resize of the whole volume, or, on the separate-z path, every slice in plane and then the
 * low-resolution axis with order_z (scipy map_coordinates, mode 'nearest', no clipping).
 */
public final class DefaultResampling {
    private DefaultResampling() {
    }

    /** compute_new_shape: round(old_spacing / new_spacing * old_shape) per axis, Python rounding. */
    public static int[] computeNewShape(int[] oldShape, double[] oldSpacing, double[] newSpacing) {
        if (oldShape.length != oldSpacing.length || oldShape.length != newSpacing.length) {
            throw new IllegalArgumentException("shape " + java.util.Arrays.toString(oldShape) + ", spacing "
                    + java.util.Arrays.toString(oldSpacing) + " and target spacing "
                    + java.util.Arrays.toString(newSpacing) + " must have the same number of axes");
        }
        int[] out = new int[oldShape.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) Math.rint(oldSpacing[i] / newSpacing[i] * oldShape[i]);
        }
        return out;
    }

    /** One image channel; returns the input itself when the shape does not change (as nnU-Net does). */
    public static float[] resampleData(float[] channel, int[] shape, int[] newShape, SeparateZ separateZ,
                                       ResamplingKwargs kwargs, Parallel parallel) {
        if (java.util.Arrays.equals(shape, newShape)) {
            return channel;
        }
        if (!separateZ.doSeparateZ()) {
            return Resize.resize(channel, shape, newShape, kwargs.order(), parallel);
        }
        int axis = separateZ.axis();
        if (axis == 0 && shape.length == 3 && (kwargs.orderZ() == 0 || shape[0] == newShape[0])) {
            return SliceResampler.nearestAlongZ(channel, shape, newShape, kwargs.order(), parallel);
        }
        int[] inPlane = newShape.clone();
        inPlane[axis] = shape[axis];
        float[] r = Resize.resize(channel, shape, inPlane, kwargs.order(), axis, parallel);
        return AxisResampler.resample(r, inPlane, axis, newShape[axis], kwargs.orderZ(), parallel);
    }

    /** One label map; returns the input itself when the shape does not change. */
    public static short[] resampleSeg(short[] seg, int[] shape, int[] newShape, SeparateZ separateZ,
                                      ResamplingKwargs kwargs, Parallel parallel) {
        if (java.util.Arrays.equals(shape, newShape)) {
            return seg;
        }
        if (!separateZ.doSeparateZ()) {
            return ResizeSegmentation.resize(seg, shape, newShape, kwargs.order(), -1, parallel);
        }
        int axis = separateZ.axis();
        if (kwargs.order() == 1 && shape.length == 3 && (kwargs.orderZ() == 0 || shape[axis] == newShape[axis])) {
            int[] orders = {1, 1, 1};
            orders[axis] = 0;
            return LinearLabelVote.resize(seg, shape, newShape, orders, parallel);
        }
        int[] inPlane = newShape.clone();
        inPlane[axis] = shape[axis];
        short[] r = ResizeSegmentation.resize(seg, shape, inPlane, kwargs.order(), axis, parallel);
        if (inPlane[axis] == newShape[axis]) {
            return r;
        }
        float[] values = new float[r.length];
        short[] out = new short[ResizeSegmentation.size(newShape)];
        if (kwargs.orderZ() == 0) {
            for (int i = 0; i < r.length; i++) {
                values[i] = r[i];
            }
            float[] z = AxisResampler.resample(values, inPlane, axis, newShape[axis], 0, parallel);
            for (int i = 0; i < z.length; i++) {
                out[i] = (short) z[i];
            }
            return out;
        }
        // one-hot along z; nnU-Net keeps a label where np.round(value) > 0.5 (round half to even)
        for (short label : Labels.sortedUnique(r)) {
            for (int i = 0; i < r.length; i++) {
                values[i] = r[i] == label ? 1f : 0f;
            }
            float[] z = AxisResampler.resample(values, inPlane, axis, newShape[axis], kwargs.orderZ(), parallel);
            for (int i = 0; i < z.length; i++) {
                if (Math.rint(z[i]) > 0.5) {
                    out[i] = label;
                }
            }
        }
        return out;
    }
}
