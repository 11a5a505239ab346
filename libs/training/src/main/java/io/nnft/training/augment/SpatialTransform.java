package io.nnft.training.augment;

import io.nnft.training.data.Sample;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * batchgeneratorsv2's SpatialTransform as nnU-Net configures it (patch_center_dist_from_border=0,
 * random_crop=False, p_elastic_deform=0, p_rotation=0.2, p_scaling=0.2, scaling (0.7, 1.4) synchronised across
 * axes, bg_style_seg_sampling=False, mode_seg bilinear): from the loader's larger patch, cut the network's patch
 * around the centre. Without rotation or scaling it is a plain crop starting at ⌊D/2⌋ − ⌊P/2⌋ (crop_tensor,
 * zero padding). Otherwise the patch is sampled through {@link SpatialGrid}'s matrix: image trilinear with
 * zeros outside; segmentation per label: the indicator ×1000 interpolated (stored as float16), labels in
 * ascending order set where it exceeds 700, the voxels no label claims get the argmax (ties and all-zero
 * → the smallest label present). Rotation angles are uniform in ±limit per axis; one scale factor (> 1 zooms
 * out). In dummy-2D mode (very anisotropic patches) nnU-Net augments each slice in 2-D: one in-plane angle,
 * scaling of y and x only, and the segmentation's labels are those of each slice.
 */
public record SpatialTransform(int[] patch, double rotationLimit, boolean dummy2d, double pRotation,
                               double pScaling, double scaleLo, double scaleHi) implements Augmentation {
    /** batchgeneratorsv2 interpolates each label's indicator scaled by 1000 and keeps it where it exceeds 700. */
    static final float SEG_SCALE = 1000f;
    static final float SEG_THRESHOLD = 700f;

    public static SpatialTransform nnUNetDefault(int[] patch, double rotationLimit, boolean dummy2d) {
        return new SpatialTransform(patch, rotationLimit, dummy2d, 0.2, 0.2, 0.7, 1.4);
    }

    @Override
    public void apply(Sample s, SplittableRandom r) {
        // batchgeneratorsv2 draws rotation first, then scaling.
        boolean rotate = r.nextDouble() < pRotation;
        boolean scale = r.nextDouble() < pScaling;
        if (!scale && !rotate) {
            centerCrop(s);
            return;
        }
        double[] angles = new double[dummy2d ? 1 : 3];
        if (rotate) {
            for (int a = 0; a < angles.length; a++) {
                angles[a] = Augmentation.uniform(-rotationLimit, rotationLimit, r);
            }
        }
        double factor = scale ? Augmentation.uniform(scaleLo, scaleHi, r) : 1;
        double[][] affine = dummy2d ? SpatialGrid.affine2d(angles[0], factor) : SpatialGrid.affine3d(angles, factor);
        warp(s, SpatialGrid.voxelMatrix(affine, s.shape, patch));
    }

    /** crop_tensor around ⌊D/2⌋: the patch starts at ⌊D/2⌋ − ⌊P/2⌋, zeros (image and segmentation) outside. */
    void centerCrop(Sample s) {
        int[] lo = new int[3];
        for (int d = 0; d < 3; d++) {
            lo[d] = s.shape[d] / 2 - patch[d] / 2;
        }
        int pv = patch[0] * patch[1] * patch[2];
        int v = s.voxels();
        float[] img = new float[s.channels * pv];
        short[] seg = new short[pv];
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
     * centre, voxels, (z, y, x)). One pass per output voxel: its 8 source corners weight every image channel and
     * every label's indicator.
     */
    public void warp(Sample s, double[][] m) {
        int pv = patch[0] * patch[1] * patch[2];
        int v = s.voxels();
        int[] sh = s.shape;
        short minLabel = Short.MAX_VALUE;
        short maxLabel = Short.MIN_VALUE;
        // The smallest label present where batchgeneratorsv2 takes its label list: the whole patch, or (dummy 2-D,
        // where each slice is a channel) the slice.
        short[] sliceMin = new short[sh[0]];
        java.util.Arrays.fill(sliceMin, Short.MAX_VALUE);
        int sliceVoxels = sh[1] * sh[2];
        for (int i = 0; i < s.seg.length; i++) {
            short l = s.seg[i];
            minLabel = (short) Math.min(minLabel, l);
            maxLabel = (short) Math.max(maxLabel, l);
            sliceMin[i / sliceVoxels] = (short) Math.min(sliceMin[i / sliceVoxels], l);
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
                            acc[s.seg[corner[k]] - minLabel] += weight[k] * SEG_SCALE;
                        }
                    }
                    int label = -1;
                    int argmax = 0;
                    for (int l = 0; l < nLabels; l++) {
                        acc[l] = Half.round(acc[l]);
                        if (acc[l] > SEG_THRESHOLD) {
                            label = l; // ascending: a later label overwrites an earlier one
                        }
                        if (acc[l] > acc[argmax]) {
                            argmax = l; // first maximum, like torch.argmax
                        }
                    }
                    if (label >= 0) {
                        seg[o] = (short) (label + minLabel);
                    } else if (acc[argmax] > 0) {
                        seg[o] = (short) (argmax + minLabel);
                    } else {
                        seg[o] = dummy2d ? sliceMin[Math.min(Math.max(z0, 0), sh[0] - 1)] : minLabel;
                    }
                }
            }
        }
        s.image = img;
        s.seg = seg;
        s.shape = patch.clone();
    }
}
