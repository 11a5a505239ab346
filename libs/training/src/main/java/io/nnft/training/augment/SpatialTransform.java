package io.nnft.training.augment;

import io.nnft.training.data.Sample;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * batchgeneratorsv2's SpatialTransform as nnU-Net configures it: from the loader's larger patch, cut the
 * network's patch around the centre (random_crop=False), rotated with probability p_rotation (angles uniform
 * in ±limit per axis; only about the first axis for dummy-2D data) and scaled with probability p_scaling
 * (one factor in [0.7, 1.4] for all axes; > 1 zooms out); elastic deformation off. Image: trilinear with
 * zeros outside; segmentation: each label's indicator interpolated and set where ≥ 0.5 (mode_seg bilinear).
 * Without rotation or scaling it is a plain centre crop.
 */
public record SpatialTransform(int[] patch, double rotationLimit, boolean rotateFirstAxisOnly, double pRotation,
                               double pScaling, double scaleLo, double scaleHi) implements Augmentation {

    public static SpatialTransform nnUNetDefault(int[] patch, double rotationLimit, boolean dummy2d) {
        return new SpatialTransform(patch, rotationLimit, dummy2d, 0.2, 0.2, 0.7, 1.4);
    }

    @Override
    public void apply(Sample s, SplittableRandom r) {
        boolean scale = r.nextDouble() < pScaling;
        boolean rotate = r.nextDouble() < pRotation;
        double[] angles = new double[3];
        if (rotate) {
            for (int a = 0; a < 3; a++) {
                if (a == 0 || !rotateFirstAxisOnly) {
                    angles[a] = Augmentation.uniform(-rotationLimit, rotationLimit, r);
                }
            }
        }
        double factor = scale ? Augmentation.uniform(scaleLo, scaleHi, r) : 1;
        if (!scale && !rotate) {
            centerCrop(s);
            return;
        }
        warp(s, matrix(angles, factor));
    }

    /** R_z · R_y · R_x · factor (rows: output axis z, y, x in the source frame). */
    static double[][] matrix(double[] angles, double factor) {
        double[][] m = identity();
        m = mul(rot(0, angles[0]), m);
        m = mul(rot(1, angles[1]), m);
        m = mul(rot(2, angles[2]), m);
        for (double[] row : m) {
            for (int j = 0; j < 3; j++) {
                row[j] *= factor;
            }
        }
        return m;
    }

    void centerCrop(Sample s) {
        int[] lo = new int[3];
        for (int d = 0; d < 3; d++) {
            lo[d] = (s.shape[d] - patch[d]) / 2;
        }
        int pv = patch[0] * patch[1] * patch[2];
        int v = s.voxels();
        float[] img = new float[s.channels * pv];
        short[] seg = new short[pv];
        Arrays.fill(seg, (short) -1);
        int o = 0;
        for (int z = 0; z < patch[0]; z++) {
            for (int y = 0; y < patch[1]; y++) {
                for (int x = 0; x < patch[2]; x++, o++) {
                    int sz = z + lo[0];
                    int sy = y + lo[1];
                    int sx = x + lo[2];
                    if (sz < 0 || sy < 0 || sx < 0 || sz >= s.shape[0] || sy >= s.shape[1] || sx >= s.shape[2]) {
                        continue;
                    }
                    int i = (sz * s.shape[1] + sy) * s.shape[2] + sx;
                    seg[o] = s.seg[i];
                    for (int c = 0; c < s.channels; c++) {
                        img[c * pv + o] = s.image[c * v + i];
                    }
                }
            }
        }
        s.image = img;
        s.seg = seg;
        s.shape = patch.clone();
    }

    /**
     * Samples the patch through {@code m} (output offset from the patch centre → source offset from the image
     * centre). One pass per output voxel: its 8 source corners weight every image channel and every label's
     * indicator; the largest label whose interpolated indicator reaches 0.5 wins (batchgeneratorsv2 assigns
     * labels in ascending order, later ones overwriting).
     */
    public void warp(Sample s, double[][] m) {
        int pv = patch[0] * patch[1] * patch[2];
        int v = s.voxels();
        int[] sh = s.shape;
        short minLabel = Short.MAX_VALUE;
        short maxLabel = Short.MIN_VALUE;
        for (short l : s.seg) {
            minLabel = (short) Math.min(minLabel, l);
            maxLabel = (short) Math.max(maxLabel, l);
        }
        int nLabels = maxLabel - minLabel + 1;
        float[] acc = new float[nLabels];
        float[] img = new float[s.channels * pv];
        short[] seg = new short[pv];
        int[] corner = new int[8];
        float[] weight = new float[8];
        int o = 0;
        for (int z = 0; z < patch[0]; z++) {
            for (int y = 0; y < patch[1]; y++) {
                double qz = z - (patch[0] - 1) / 2.0;
                double qy = y - (patch[1] - 1) / 2.0;
                double qx0 = -(patch[2] - 1) / 2.0;
                double cz = (sh[0] - 1) / 2.0 + m[0][0] * qz + m[0][1] * qy + m[0][2] * qx0;
                double cy = (sh[1] - 1) / 2.0 + m[1][0] * qz + m[1][1] * qy + m[1][2] * qx0;
                double cx = (sh[2] - 1) / 2.0 + m[2][0] * qz + m[2][1] * qy + m[2][2] * qx0;
                for (int x = 0; x < patch[2]; x++, o++, cz += m[0][2], cy += m[1][2], cx += m[2][2]) {
                    int z0 = (int) Math.floor(cz);
                    int y0 = (int) Math.floor(cy);
                    int x0 = (int) Math.floor(cx);
                    float fz = (float) (cz - z0);
                    float fy = (float) (cy - y0);
                    float fx = (float) (cx - x0);
                    int k = 0;
                    for (int dz = 0; dz < 2; dz++) {
                        int zz = z0 + dz;
                        float wz = dz == 1 ? fz : 1 - fz;
                        for (int dy = 0; dy < 2; dy++) {
                            int yy = y0 + dy;
                            float wy = wz * (dy == 1 ? fy : 1 - fy);
                            for (int dx = 0; dx < 2; dx++, k++) {
                                int xx = x0 + dx;
                                boolean in = zz >= 0 && yy >= 0 && xx >= 0 && zz < sh[0] && yy < sh[1] && xx < sh[2];
                                corner[k] = in ? (zz * sh[1] + yy) * sh[2] + xx : -1;
                                weight[k] = wy * (dx == 1 ? fx : 1 - fx);
                            }
                        }
                    }
                    for (int ch = 0; ch < s.channels; ch++) {
                        int base = ch * v;
                        float a = 0;
                        for (k = 0; k < 8; k++) {
                            if (corner[k] >= 0) {
                                a += weight[k] * s.image[base + corner[k]];
                            }
                        }
                        img[ch * pv + o] = a;
                    }
                    java.util.Arrays.fill(acc, 0f);
                    for (k = 0; k < 8; k++) {
                        if (corner[k] >= 0) {
                            acc[s.seg[corner[k]] - minLabel] += weight[k];
                        }
                    }
                    short label = 0;
                    for (int l = 0; l < nLabels; l++) {
                        if (acc[l] >= 0.5f) {
                            label = (short) (l + minLabel);
                        }
                    }
                    seg[o] = label;
                }
            }
        }
        s.image = img;
        s.seg = seg;
        s.shape = patch.clone();
    }

    private static double[][] identity() {
        return new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    }

    private static double[][] rot(int axis, double a) {
        double c = Math.cos(a);
        double s = Math.sin(a);
        return switch (axis) {
            case 0 -> new double[][] {{1, 0, 0}, {0, c, -s}, {0, s, c}};
            case 1 -> new double[][] {{c, 0, s}, {0, 1, 0}, {-s, 0, c}};
            default -> new double[][] {{c, -s, 0}, {s, c, 0}, {0, 0, 1}};
        };
    }

    private static double[][] mul(double[][] a, double[][] b) {
        double[][] out = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 3; k++) {
                    out[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return out;
    }
}
