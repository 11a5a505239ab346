package io.nnft.preprocessing;

/**
 * Permutes the axes of a row-major volume: nnU-Net's transpose_forward (e.g. [2, 0, 1]) puts the
 * low-resolution axis first. Output axis a is input axis {@code order[a]}.
 */
public final class Transpose {
    private Transpose() {
    }

    public static boolean isIdentity(int[] order) {
        for (int a = 0; a < order.length; a++) {
            if (order[a] != a) {
                return false;
            }
        }
        return true;
    }

    public static int[] shape(int[] shape, int[] order) {
        int[] out = new int[order.length];
        for (int a = 0; a < order.length; a++) {
            out[a] = shape[order[a]];
        }
        return out;
    }

    public static double[] spacing(double[] spacing, int[] order) {
        double[] out = new double[order.length];
        for (int a = 0; a < order.length; a++) {
            out[a] = spacing[order[a]];
        }
        return out;
    }

    public static float[] apply(float[] src, int[] shape, int[] order) {
        if (isIdentity(order)) {
            return src;
        }
        float[] out = new float[src.length];
        walk(shape, order, (from, to) -> out[to] = src[from]);
        return out;
    }

    public static short[] apply(short[] src, int[] shape, int[] order) {
        if (isIdentity(order)) {
            return src;
        }
        short[] out = new short[src.length];
        walk(shape, order, (from, to) -> out[to] = src[from]);
        return out;
    }

    private interface Move {
        void move(int from, int to);
    }

    private static void walk(int[] shape, int[] order, Move move) {
        if (order.length != shape.length) {
            throw new IllegalArgumentException("transpose order " + java.util.Arrays.toString(order)
                    + " does not fit a volume of shape " + java.util.Arrays.toString(shape));
        }
        int dims = shape.length;
        int[] inStride = new int[dims];
        int s = 1;
        for (int a = dims - 1; a >= 0; a--) {
            inStride[a] = s;
            s *= shape[a];
        }
        int[] outShape = shape(shape, order);
        int[] stride = new int[dims];
        for (int a = 0; a < dims; a++) {
            stride[a] = inStride[order[a]];
        }
        int[] c = new int[dims];
        int from = 0;
        for (int to = 0; to < s; to++) {
            move.move(from, to);
            for (int a = dims - 1; a >= 0; a--) {
                c[a]++;
                from += stride[a];
                if (c[a] < outShape[a]) {
                    break;
                }
                from -= stride[a] * c[a];
                c[a] = 0;
            }
        }
    }
}
