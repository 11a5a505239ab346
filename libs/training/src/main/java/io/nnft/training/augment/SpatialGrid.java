package io.nnft.training.augment;

/**
 * batchgeneratorsv2 SpatialTransform's sampling grid, reduced to one matrix that maps a patch voxel's offset from
 * the patch centre (z, y, x) to the sampled image position's offset from the image centre (z, y, x).
 * <p>
 * batchgeneratorsv2 builds the grid in grid_sample's normalised [-1, 1] coordinates (components in x, y, z
 * order), divides it by {@code grid_scale = image_shape / patch_size} and multiplies it by the affine
 * ({@code grid @ A}). Two consequences that nnU-Net's training inherits and this class reproduces:
 * <ul>
 *   <li>the rotation acts on normalised coordinates, so it shears when the loader's patch is not a cube;</li>
 *   <li>{@code grid_scale} is in array order (z, y, x) but divides the grid's (x, y, z) components, so the first
 *   and last axes swap their enlargement ratios: identity when every axis has the same image/patch ratio
 *   (cubic patches), otherwise a per-axis stretch whenever a rotation or scaling is applied.</li>
 * </ul>
 */
public final class SpatialGrid {
    private SpatialGrid() {
    }

    /** create_affine_matrix_3d: Rz(a2) · Ry(a1) · Rx(a0) · diag(s), acting on (x, y, z) row vectors. */
    public static double[][] affine3d(double[] angles, double scale) {
        double[][] rx = rotation(1, 2, angles[0]);
        double[][] ry = {{Math.cos(angles[1]), 0, Math.sin(angles[1])}, {0, 1, 0},
                {-Math.sin(angles[1]), 0, Math.cos(angles[1])}};
        double[][] rz = rotation(0, 1, angles[2]);
        return scaled(mul(rz, mul(ry, rx)), scale);
    }

    /** create_affine_matrix_2d: R(a) · diag(s), acting on (x, y) row vectors. */
    public static double[][] affine2d(double angle, double scale) {
        double c = Math.cos(angle);
        double s = Math.sin(angle);
        return scaled(new double[][] {{c, -s}, {s, c}}, scale);
    }

    /**
     * The (z, y, x) voxel-offset matrix of {@code grid @ affine} for an image of {@code image} voxels and a patch of
     * {@code patch} voxels. A 2-D affine (dummy-2D augmentation) acts on the last two axes; the first is copied.
     */
    public static double[][] voxelMatrix(double[][] affine, int[] image, int[] patch) {
        int n = affine.length;
        int first = 3 - n; // first array axis the affine acts on
        double[][] m = new double[3][3];
        if (n == 2) {
            m[0][0] = 1;
        }
        for (int i = 0; i < n; i++) { // grid component i (x first) ↔ array axis n−1−i
            int qAxis = first + n - 1 - i;
            int scaleAxis = first + i; // grid_scale is indexed in array order: the quirk
            double c = (double) patch[scaleAxis] / (image[scaleAxis] * (double) patch[qAxis]);
            for (int j = 0; j < n; j++) {
                int outAxis = first + n - 1 - j;
                m[outAxis][qAxis] = affine[i][j] * image[outAxis] * c;
            }
        }
        return m;
    }

    private static double[][] rotation(int a, int b, double angle) {
        double[][] r = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        r[a][a] = Math.cos(angle);
        r[a][b] = -Math.sin(angle);
        r[b][a] = Math.sin(angle);
        r[b][b] = Math.cos(angle);
        return r;
    }

    private static double[][] scaled(double[][] m, double s) {
        for (double[] row : m) {
            for (int j = 0; j < row.length; j++) {
                row[j] *= s;
            }
        }
        return m;
    }

    private static double[][] mul(double[][] a, double[][] b) {
        double[][] out = new double[a.length][b[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b[0].length; j++) {
                for (int k = 0; k < b.length; k++) {
                    out[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return out;
    }
}
