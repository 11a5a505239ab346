package io.nnft.training.data;

/**
 * nnUNetTrainer.configure_rotation_dummyDA_mirroring_and_inital_patch_size for 3D patches: rotation range,
 * mirror axes and the larger initial patch the loader cuts so that rotation and scaling do not pull in
 * padding (batchgenerators' get_patch_size with scale range (0.85, 1.25)).
 */
public final class PatchSizes {
    /** nnU-Net's ANISO_THRESHOLD: beyond this in-plane/through-plane ratio it augments in 2D. */
    public static final double ANISO_THRESHOLD = 3;

    private PatchSizes() {
    }

    /** True when nnU-Net would use its "dummy 2D" augmentation (very anisotropic patches). */
    public static boolean dummy2d(int[] patch) {
        int max = Math.max(patch[0], Math.max(patch[1], patch[2]));
        return (double) max / patch[0] > ANISO_THRESHOLD;
    }

    /** Symmetric rotation limit in radians: 30° for 3D patches, 180° (in-plane only) for dummy 2D. */
    public static double rotationLimit(int[] patch) {
        return (dummy2d(patch) ? 180.0 : 30.0) / 360 * 2 * Math.PI;
    }

    /** get_patch_size(patch, rot, rot, rot, (0.85, 1.25)); the first axis kept in dummy-2D mode. */
    public static int[] initialPatchSize(int[] patch) {
        double rot = Math.min(Math.PI / 2, rotationLimit(patch));
        double[] coords = {patch[0], patch[1], patch[2]};
        double[] fin = coords.clone();
        for (int axis = 0; axis < 3; axis++) {
            double[] r = rotate(coords, axis, rot);
            for (int d = 0; d < 3; d++) {
                fin[d] = Math.max(fin[d], Math.abs(r[d]));
            }
        }
        int[] out = new int[3];
        for (int d = 0; d < 3; d++) {
            out[d] = (int) (fin[d] / 0.85);
        }
        if (dummy2d(patch)) {
            out[0] = patch[0];
        }
        return out;
    }

    /** coords @ R_axis(angle), batchgenerators' rotate_coords_3d with one non-zero angle. */
    static double[] rotate(double[] v, int axis, double a) {
        double c = Math.cos(a);
        double s = Math.sin(a);
        double[][] m = switch (axis) {
            case 0 -> new double[][] {{1, 0, 0}, {0, c, -s}, {0, s, c}};
            case 1 -> new double[][] {{c, 0, s}, {0, 1, 0}, {-s, 0, c}};
            default -> new double[][] {{c, -s, 0}, {s, c, 0}, {0, 0, 1}};
        };
        double[] out = new double[3];
        for (int j = 0; j < 3; j++) {
            for (int i = 0; i < 3; i++) {
                out[j] += v[i] * m[i][j];
            }
        }
        return out;
    }
}
