package io.nnft.network;

import ai.djl.ndarray.NDArray;

/**
 * Transposed convolution with kernel = stride and no padding, the only kind nnU-Net's decoder uses. DJL's
 * deconvolution throws on the PyTorch engine; with kernel = stride every output voxel is hit by exactly one
 * input voxel, so the op is one matmul over channels followed by interleaving the kernel offsets into the
 * spatial axes — exact, differentiable, and in PyTorch's (Cin, Cout, k…) weight layout.
 */
public final class TransposedConvolution {
    private TransposedConvolution() {
    }

    /**
     * @param x      (N, Cin, s1..sD), D = 2 or 3
     * @param weight (Cin, Cout, k1..kD)
     * @param bias   (Cout) or null
     * @return (N, Cout, s1·k1 .. sD·kD)
     */
    public static NDArray kernelEqualsStride(NDArray x, NDArray weight, NDArray bias) {
        int dims = x.getShape().dimension() - 2;
        if (dims < 1 || weight.getShape().dimension() != dims + 2) {
            throw new IllegalArgumentException("transposed conv: input " + x.getShape() + " and weight "
                    + weight.getShape() + " must both be (batch/channel, channel, " + "spatial...) of the same rank");
        }
        long n = x.getShape().get(0);
        long cin = x.getShape().get(1);
        if (weight.getShape().get(0) != cin) {
            throw new IllegalArgumentException("transposed conv: weight " + weight.getShape()
                    + " expects " + weight.getShape().get(0) + " input channels, input " + x.getShape() + " has " + cin);
        }
        long cout = weight.getShape().get(1);
        long[] s = new long[dims];
        long[] k = new long[dims];
        long spatial = 1;
        long kernel = 1;
        for (int d = 0; d < dims; d++) {
            s[d] = x.getShape().get(2 + d);
            k[d] = weight.getShape().get(2 + d);
            spatial *= s[d];
            kernel *= k[d];
        }
        // (N, Cin, S) -> (N, S, Cin) @ (Cin, Cout·K) -> (N, S, Cout·K)
        NDArray y = x.reshape(n, cin, spatial).transpose(0, 2, 1).matMul(weight.reshape(cin, cout * kernel));
        // (N, s1..sD, Cout, k1..kD) -> (N, Cout, s1, k1, .., sD, kD)
        long[] split = new long[2 + 2 * dims];
        split[0] = n;
        System.arraycopy(s, 0, split, 1, dims);
        split[1 + dims] = cout;
        System.arraycopy(k, 0, split, 2 + dims, dims);
        int[] perm = new int[2 + 2 * dims];
        perm[0] = 0;
        perm[1] = 1 + dims;
        long[] out = new long[2 + dims];
        out[0] = n;
        out[1] = cout;
        for (int d = 0; d < dims; d++) {
            perm[2 + 2 * d] = 1 + d;
            perm[3 + 2 * d] = 2 + dims + d;
            out[2 + d] = s[d] * k[d];
        }
        y = y.reshape(split).transpose(perm).reshape(out);
        if (bias != null) {
            long[] b = new long[2 + dims];
            java.util.Arrays.fill(b, 1);
            b[1] = cout;
            y = y.add(bias.reshape(b));
        }
        return y;
    }
}
