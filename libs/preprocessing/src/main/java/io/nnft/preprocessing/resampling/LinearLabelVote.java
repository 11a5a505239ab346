package io.nnft.preprocessing.resampling;

import io.nnft.preprocessing.Parallel;

/**
 * resize_segmentation with order 1 in one pass: the linear one-hot value of a label at an output
 * voxel is the summed weight of the input neighbours carrying it, so instead of resizing one one-hot
 * image per label we gather the neighbours once and keep the highest label whose weight reaches 0.5
 * (nnU-Net writes labels in ascending order, so the highest qualifying one wins), 0 when none does.
 * Same result as the per-label resize up to rounding of exact 0.5 ties. An axis may instead use
 * order 0 (nearest): that is nnU-Net's separate-z path, in-plane linear per slice then nearest
 * along z, done here in the same pass without the intermediate volume.
 */
final class LinearLabelVote {
    private LinearLabelVote() {
    }

    /** 3-d label map; {@code orders[a]} is 1 (linear) or 0 (nearest) per axis. */
    static short[] resize(short[] seg, int[] shape, int[] newShape, int[] orders, Parallel parallel) {
        if (shape.length != 3) {
            throw new IllegalArgumentException("expected a 3-d label map, found " + shape.length + " axes");
        }
        AxisResampler.Taps tz = AxisResampler.Taps.of(shape[0], newShape[0], orders[0]);
        AxisResampler.Taps ty = AxisResampler.Taps.of(shape[1], newShape[1], orders[1]);
        AxisResampler.Taps tx = AxisResampler.Taps.of(shape[2], newShape[2], orders[2]);
        int ny = newShape[1];
        int nx = newShape[2];
        int sy = shape[1];
        int sx = shape[2];
        short[] out = new short[Math.multiplyExact(Math.multiplyExact(newShape[0], ny), nx)];
        parallel.forRange(newShape[0] * ny, (from, to) -> {
            short[] labels = new short[8];
            double[] weights = new double[8];
            for (int row = from; row < to; row++) {
                int z = row / ny;
                int y = row % ny;
                int o = row * nx;
                for (int x = 0; x < nx; x++) {
                    int distinct = 0;
                    for (int a = 0; a < tz.count; a++) {
                        double wz = tz.weight[tz.count * z + a];
                        if (wz == 0.0) {
                            continue;
                        }
                        int iz = tz.index[tz.count * z + a];
                        for (int b = 0; b < ty.count; b++) {
                            double wzy = wz * ty.weight[ty.count * y + b];
                            if (wzy == 0.0) {
                                continue;
                            }
                            int base = (iz * sy + ty.index[ty.count * y + b]) * sx;
                            for (int c = 0; c < tx.count; c++) {
                                double w = wzy * tx.weight[tx.count * x + c];
                                if (w == 0.0) {
                                    continue;
                                }
                                short l = seg[base + tx.index[tx.count * x + c]];
                                int k = 0;
                                while (k < distinct && labels[k] != l) {
                                    k++;
                                }
                                if (k == distinct) {
                                    labels[k] = l;
                                    weights[k] = 0.0;
                                    distinct++;
                                }
                                weights[k] += w;
                            }
                        }
                    }
                    short best = 0;
                    boolean found = false;
                    for (int k = 0; k < distinct; k++) {
                        if (weights[k] >= 0.5 && (!found || labels[k] > best)) {
                            best = labels[k];
                            found = true;
                        }
                    }
                    out[o + x] = best;
                }
            }
        });
        return out;
    }
}
