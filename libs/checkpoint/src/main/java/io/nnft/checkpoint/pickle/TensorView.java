package io.nnft.checkpoint.pickle;

import io.nnft.imageio.NdArray;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Materialises {@code torch._utils._rebuild_tensor_v2(storage, offset, size, stride, …)} as a dense
 * C-ordered NdArray. Contiguous views are sliced out of the storage; any other stride (a transposed
 * or sliced tensor saved as is) is copied element by element, so the result is always C order.
 */
final class TensorView {
    private TensorView() {
    }

    static NdArray materialise(Storage storage, long offset, long[] size, long[] stride, String where) {
        if (size.length != stride.length) {
            throw new PickleRefusedException(where + ": tensor size " + Arrays.toString(size) + " and stride "
                    + Arrays.toString(stride) + " have different ranks");
        }
        if (offset < 0) {
            throw new PickleRefusedException(where + ": negative storage offset " + offset);
        }
        long n;
        try {
            n = NdArray.elementCount(size);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new PickleRefusedException(where + ": invalid tensor size " + Arrays.toString(size));
        }
        long last = offset;
        for (int d = 0; d < size.length; d++) {
            if (stride[d] < 0) {
                throw new PickleRefusedException(where + ": negative stride in " + Arrays.toString(stride));
            }
            if (size[d] > 0) {
                last += (size[d] - 1) * stride[d];
            }
        }
        if (n > 0 && last >= storage.numel()) {
            throw new PickleRefusedException(where + ": tensor of size " + Arrays.toString(size) + ", stride "
                    + Arrays.toString(stride) + " at offset " + offset + " reaches element " + last
                    + " but storage '" + storage.key() + "' holds " + storage.numel() + " elements");
        }
        int es = storage.type().dtype().size();
        long bytes = n * es;
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new PickleRefusedException(where + ": tensor of " + bytes + " bytes exceeds 2 GiB");
        }
        ByteBuffer src = storage.bytes().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (isContiguous(size, stride)) {
            ByteBuffer slice = src.position(Math.toIntExact(offset * es)).limit(Math.toIntExact(offset * es + bytes))
                    .slice();
            ByteBuffer copy = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
            copy.put(slice).flip();
            return new NdArray(storage.type().dtype(), size, copy);
        }
        ByteBuffer out = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        long[] idx = new long[size.length];
        byte[] element = new byte[es];
        for (long i = 0; i < n; i++) {
            long at = offset;
            for (int d = 0; d < size.length; d++) {
                at += idx[d] * stride[d];
            }
            src.get(Math.toIntExact(at * es), element);
            out.put(element);
            for (int d = size.length - 1; d >= 0; d--) {
                if (++idx[d] < size[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        out.flip();
        return new NdArray(storage.type().dtype(), size, out);
    }

    /** C-contiguous strides; dimensions of size 1 may carry any stride (PyTorch does not normalise them). */
    static boolean isContiguous(long[] size, long[] stride) {
        long expected = 1;
        for (int d = size.length - 1; d >= 0; d--) {
            if (size[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= size[d];
        }
        return true;
    }

    static long[] contiguousStride(long[] size) {
        long[] stride = new long[size.length];
        long s = 1;
        for (int d = size.length - 1; d >= 0; d--) {
            stride[d] = s;
            s *= size[d];
        }
        return stride;
    }
}
