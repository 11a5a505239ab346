package io.nnft.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * torch.nn.functional.conv{2,3}d (dilation 1, one group) with the repair of libtorch 2.7.1's CPU input gradient.
 *
 * <p>Why the repair: on some x86-64 VMs oneDNN 3.7 (bundled with libtorch 2.7.1) computes the float32 input
 * gradient (backward-data) of a convolution wrongly — errors as large as the values, sometimes NaN — when the
 * output channels are not a multiple of its 16-channel block (measured: 4→4, 8→4, 4→8, 16→8, 32→24, 32→8; stride
 * 1 and 2; batch ≥ 2). Forward, weight and bias gradients are right. With the repair the convolution runs with its
 * output channels padded by zero filters to a multiple of {@value #CHANNEL_BLOCK} and the extra channels are sliced
 * off: the output and every gradient are mathematically unchanged (the padded channels get zero gradient and their
 * zero filters touch no input), and backward-data runs in the block-aligned case that computes correctly. Full-width
 * nnU-Net plans have 32–320 features (multiples of 16), so there only the 1×1×1 segmentation heads are padded.
 *
 * <p>Applied only where it matters: float32, grad mode on, and an input that needs a gradient (the first conv of a
 * network and every conv of a frozen encoder compute no backward-data at all). {@link GradientCheck} verifies both
 * paths against float64 on the machine where they run.
 */
public final class Convolution {
    /** oneDNN's widest channel block (AVX-512: 16 floats); a multiple of AVX2's 8. */
    public static final int CHANNEL_BLOCK = 16;

    private Convolution() {
    }

    /**
     * @param x      (N, Cin, spatial…)
     * @param weight (Cout, Cin, k…)
     * @param bias   (Cout); never null (DJL's PyTorch convolution needs one: zeros are the same as none)
     * @param repair pad output channels when the input gradient will be computed (see the class comment)
     */
    public static NDArray forward(NDArray x, NDArray weight, NDArray bias, Shape stride, Shape padding,
                                  boolean repair) {
        long cout = weight.getShape().get(0);
        Shape dilation = new Shape(ones(stride.dimension()));
        if (!repair || !needsRepair(x, cout)) {
            return x.getNDArrayInternal().convolution(x, weight, bias, stride, padding, dilation, 1).singletonOrThrow();
        }
        long padded = (cout + CHANNEL_BLOCK - 1) / CHANNEL_BLOCK * CHANNEL_BLOCK;
        long[] zeroFilters = weight.getShape().getShape().clone();
        zeroFilters[0] = padded - cout;
        NDArray w = NDArrays.concat(new NDList(weight,
                weight.getManager().zeros(new Shape(zeroFilters), weight.getDataType(), weight.getDevice())), 0);
        NDArray b = NDArrays.concat(new NDList(bias,
                bias.getManager().zeros(new Shape(padded - cout), bias.getDataType(), bias.getDevice())), 0);
        NDArray y = x.getNDArrayInternal().convolution(x, w, b, stride, padding, dilation, 1).singletonOrThrow();
        return y.get(":, :" + cout);
    }

    private static boolean needsRepair(NDArray x, long cout) {
        return cout % CHANNEL_BLOCK != 0 && x.getDataType() == DataType.FLOAT32 && JniUtils.isGradMode()
                && JniUtils.requiresGrad((PtNDArray) x);
    }

    private static long[] ones(int n) {
        long[] a = new long[n];
        java.util.Arrays.fill(a, 1);
        return a;
    }
}
