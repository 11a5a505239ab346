package io.nnft.preprocessing.cropping;

/**
 * nnU-Net's create_nonzero_mask: a voxel is inside where any channel is nonzero, with holes filled
 * (scipy binary_fill_holes: background not connected to the array border through face neighbours
 * becomes inside). Works on 2-d and 3-d shapes.
 */
public final class NonzeroMask {
    private NonzeroMask() {
    }

    public static boolean[] create(float[][] channels, int[] shape) {
        int n = CropBox.size(shape);
        boolean[] mask = new boolean[n];
        for (float[] c : channels) {
            if (c.length != n) {
                throw new IllegalArgumentException("channel has " + c.length + " voxels, shape needs " + n);
            }
            for (int i = 0; i < n; i++) {
                if (c[i] != 0f) {
                    mask[i] = true;
                }
            }
        }
        fillHoles(mask, shape);
        return mask;
    }

    /**
     * Flood-fills the outside background from the border, a run along the last axis at a time
     * (span filling: one queue entry per run instead of per voxel); what it cannot reach is a hole.
     */
    static void fillHoles(boolean[] mask, int[] shape) {
        int dims = shape.length;
        int rowLen = shape[dims - 1];
        int rows = mask.length / Math.max(rowLen, 1);
        // strides of the row index along the leading axes
        int[] rowStride = new int[dims - 1];
        int s = 1;
        for (int a = dims - 2; a >= 0; a--) {
            rowStride[a] = s;
            s *= shape[a];
        }
        boolean[] outside = new boolean[mask.length];
        IntQueue queue = new IntQueue();
        int[] coord = new int[dims - 1];
        for (int row = 0; row < rows; row++) {
            int rest = row;
            boolean borderRow = false;
            for (int a = 0; a < dims - 1; a++) {
                coord[a] = rest / rowStride[a];
                rest -= coord[a] * rowStride[a];
                borderRow |= coord[a] == 0 || coord[a] == shape[a] - 1;
            }
            int base = row * rowLen;
            if (borderRow) {
                for (int x = 0; x < rowLen; x++) {
                    if (!mask[base + x]) {
                        queue.add(base + x);
                    }
                }
            } else {
                if (!mask[base]) {
                    queue.add(base);
                }
                if (!mask[base + rowLen - 1]) {
                    queue.add(base + rowLen - 1);
                }
            }
        }
        while (!queue.isEmpty()) {
            int i = queue.poll();
            if (outside[i]) {
                continue;
            }
            int row = i / rowLen;
            int base = row * rowLen;
            int l = i - base;
            int r = l;
            while (l > 0 && !mask[base + l - 1] && !outside[base + l - 1]) {
                l--;
            }
            while (r < rowLen - 1 && !mask[base + r + 1] && !outside[base + r + 1]) {
                r++;
            }
            for (int x = l; x <= r; x++) {
                outside[base + x] = true;
            }
            int rest = row;
            for (int a = 0; a < dims - 1; a++) {
                coord[a] = rest / rowStride[a];
                rest -= coord[a] * rowStride[a];
            }
            for (int a = 0; a < dims - 1; a++) {
                if (coord[a] > 0) {
                    seedRuns(mask, outside, (row - rowStride[a]) * rowLen, l, r, queue);
                }
                if (coord[a] < shape[a] - 1) {
                    seedRuns(mask, outside, (row + rowStride[a]) * rowLen, l, r, queue);
                }
            }
        }
        for (int i = 0; i < mask.length; i++) {
            mask[i] = !outside[i];
        }
    }

    /** Queues the first voxel of every not yet filled background run of a neighbour row within [l, r]. */
    private static void seedRuns(boolean[] mask, boolean[] outside, int base, int l, int r, IntQueue queue) {
        boolean inRun = false;
        for (int x = l; x <= r; x++) {
            boolean fillable = !mask[base + x] && !outside[base + x];
            if (fillable && !inRun) {
                queue.add(base + x);
            }
            inRun = fillable;
        }
    }
}
