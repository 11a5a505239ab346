package io.nnft.inference.prediction;

import java.util.Arrays;

/**
 * pad_nd_image as the predictor calls it: the last {@code minShape.length} axes are padded with zeros to
 * at least {@code minShape}, {@code diff // 2} before and the rest after, so a case smaller than the patch
 * still fills one whole tile. {@link #crop} reverts it.
 *
 * @param shape       the unpadded shape
 * @param paddedShape the padded shape
 * @param before      voxels added before, per axis
 */
public record Padding(int[] shape, int[] paddedShape, int[] before) {

    public static Padding toAtLeast(int[] shape, int[] minShape) {
        int dims = shape.length;
        int offset = dims - minShape.length;
        if (offset < 0) {
            throw new IllegalArgumentException("cannot pad shape " + Arrays.toString(shape) + " to "
                    + Arrays.toString(minShape) + ": more axes than the image");
        }
        int[] padded = shape.clone();
        int[] before = new int[dims];
        for (int a = offset; a < dims; a++) {
            int target = Math.max(shape[a], minShape[a - offset]);
            before[a] = (target - shape[a]) / 2;
            padded[a] = target;
        }
        return new Padding(shape.clone(), padded, before);
    }

    public boolean isNone() {
        return Arrays.equals(shape, paddedShape);
    }

    /** A zero-padded copy of one row-major volume (the input itself when nothing is padded). */
    public float[] pad(float[] src) {
        if (isNone()) {
            return src;
        }
        float[] out = new float[size(paddedShape)];
        rows((s, d, len) -> System.arraycopy(src, s, out, d, len));
        return out;
    }

    /** The unpadded region of a padded volume. */
    public float[] crop(float[] padded) {
        if (isNone()) {
            return padded;
        }
        float[] out = new float[size(shape)];
        rows((s, d, len) -> System.arraycopy(padded, d, out, s, len));
        return out;
    }

    private interface RowCopy {
        void copy(int unpaddedOffset, int paddedOffset, int len);
    }

    /** Walks the rows (last axis) of the unpadded volume and their place in the padded one. */
    private void rows(RowCopy copy) {
        int dims = shape.length;
        int rowLen = shape[dims - 1];
        int rows = size(shape) / Math.max(rowLen, 1);
        int[] coord = new int[dims];
        for (int r = 0; r < rows; r++) {
            int rest = r;
            for (int a = dims - 2; a >= 0; a--) {
                coord[a] = rest % shape[a];
                rest /= shape[a];
            }
            int dst = 0;
            for (int a = 0; a < dims - 1; a++) {
                dst = dst * paddedShape[a] + coord[a] + before[a];
            }
            dst = dst * paddedShape[dims - 1] + before[dims - 1];
            copy.copy(r * rowLen, dst, rowLen);
        }
    }

    static int size(int[] shape) {
        int n = 1;
        for (int s : shape) {
            n = Math.multiplyExact(n, s);
        }
        return n;
    }
}
