package io.nnft.imageio;

/**
 * Voxel-to-world geometry of a NIfTI header, in the two conventions nnU-Net stores: nibabel's affine
 * (RAS, {@code nibabel_stuff.original_affine}) and SimpleITK's origin/direction (LPS, {@code sitk_stuff}).
 */
final class NiftiGeometry {
    private NiftiGeometry() {
    }

    /** The qform as a 4x4 matrix (NIfTI "method 2"): quaternion rotation, pixdim scaling, qfac flip of z. */
    static double[][] qformAffine(NiftiHeader h) {
        double[][] r = quaternionRotation(h.quaternB, h.quaternC, h.quaternD);
        double qfac = h.pixdim[0] < 0 ? -1 : 1;
        double[] zoom = {h.pixdim[1], h.pixdim[2], h.pixdim[3] * qfac};
        double[] offset = {h.qoffsetX, h.qoffsetY, h.qoffsetZ};
        double[][] a = new double[4][4];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                a[i][j] = r[i][j] * zoom[j];
            }
            a[i][3] = offset[i];
        }
        a[3][3] = 1;
        return a;
    }

    /** The sform as a 4x4 matrix. */
    static double[][] sformAffine(NiftiHeader h) {
        return new double[][] {h.srowX.clone(), h.srowY.clone(), h.srowZ.clone(), {0, 0, 0, 1}};
    }

    /**
     * nibabel's {@code get_best_affine}: sform when sform_code is set, else qform when qform_code is set,
     * else a pixdim-only affine centred on the volume with x flipped (Analyze convention).
     */
    static double[][] bestAffine(NiftiHeader h) {
        if (h.sformCode != 0) {
            return sformAffine(h);
        }
        if (h.qformCode != 0) {
            return qformAffine(h);
        }
        double[][] a = new double[4][4];
        double[] sign = {-1, 1, 1};
        for (int i = 0; i < 3; i++) {
            double zoom = i < h.dim[0] ? h.pixdim[i + 1] : 1;
            double n = i < h.dim[0] ? h.dim[i + 1] : 1;
            a[i][i] = sign[i] * zoom;
            a[i][3] = -sign[i] * (n - 1) / 2.0 * zoom;
        }
        a[3][3] = 1;
        return a;
    }

    /** Rotation matrix of the unit quaternion (a, b, c, d) with a recovered from b, c, d as the standard says. */
    static double[][] quaternionRotation(double b, double c, double d) {
        double a = 1.0 - (b * b + c * c + d * d);
        if (a < 1e-7) {
            // b, c, d are (nearly) a unit vector: a 180 degree rotation; renormalise as nifti_io does
            double n = Math.sqrt(b * b + c * c + d * d);
            b /= n;
            c /= n;
            d /= n;
            a = 0;
        } else {
            a = Math.sqrt(a);
        }
        return new double[][] {
            {a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)},
            {2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)},
            {2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b},
        };
    }

    /**
     * The RAS voxel-to-world matrix ITK (5.x, inside SimpleITK 2.x) takes origin and direction from, or
     * null when neither qform nor sform is set (ITK then reports origin 0 and identity direction).
     * ITK's rule: an sform without shear is preferred when the qform is unset, when it is coded
     * scanner-anatomical (1), or when it agrees with the qform; an sform that agrees element-wise with
     * the qform is preferred anyway; otherwise the qform. Where ITK would refuse the file (sheared sform,
     * no qform) we fall back to the sform's normalised columns. Its SVD-based "very similar" test is
     * approximated by comparing column directions, column lengths and offsets to 1e-4.
     */
    static double[][] itkAffine(NiftiHeader h) {
        if (h.qformCode == 0 && h.sformCode == 0) {
            return null;
        }
        double[][] q = h.qformCode != 0 ? qformAffine(h) : methodOneAffine(h);
        if (h.sformCode == 0) {
            return q;
        }
        double[][] s = sformAffine(h);
        boolean prefer = elementwiseSimilar(s, q);
        if (isRotationTimesScaling(s)) {
            if (h.qformCode == 0 || h.sformCode == 1) {
                prefer = true;
            } else {
                prefer = verySimilar(s, q);
            }
        }
        if (prefer || h.qformCode == 0) {
            return s;
        }
        return q;
    }

    /** nifti_io's qto_xyz when qform_code is 0: pixdim scaling, no rotation, no offset. */
    private static double[][] methodOneAffine(NiftiHeader h) {
        double[][] a = new double[4][4];
        for (int i = 0; i < 3; i++) {
            a[i][i] = i < h.dim[0] ? h.pixdim[i + 1] : 1;
        }
        a[3][3] = 1;
        return a;
    }

    private static boolean elementwiseSimilar(double[][] s, double[][] q) {
        double translation = 0;
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                if (Math.abs(s[i][j] - q[i][j]) > 1e-5) {
                    return false;
                }
            }
            translation += Math.abs(s[i][3] - q[i][3]);
        }
        return translation <= 1e-7;
    }

    private static boolean verySimilar(double[][] s, double[][] q) {
        for (int j = 0; j < 3; j++) {
            double ns = norm(s, j);
            double nq = norm(q, j);
            if (Math.abs(ns - nq) > 1e-4 || nq == 0) {
                return false;
            }
            for (int i = 0; i < 3; i++) {
                if (Math.abs(s[i][j] / ns - q[i][j] / nq) > 1e-4) {
                    return false;
                }
            }
        }
        for (int i = 0; i < 3; i++) {
            if (Math.abs(s[i][3] - q[i][3]) > 1e-4) {
                return false;
            }
        }
        return true;
    }

    private static double norm(double[][] a, int column) {
        return Math.sqrt(a[0][column] * a[0][column] + a[1][column] * a[1][column] + a[2][column] * a[2][column]);
    }

    /** SimpleITK's GetOrigin(): the world position of voxel (0,0,0) in LPS, x first. */
    static double[] itkOrigin(NiftiHeader h) {
        double[][] a = itkAffine(h);
        if (a == null) {
            return new double[] {0, 0, 0};
        }
        return new double[] {-a[0][3] + 0.0, -a[1][3] + 0.0, a[2][3] + 0.0};
    }

    /** SimpleITK's GetDirection(): 3x3 row-major, column j the LPS direction of voxel axis j (x, y, z). */
    static double[] itkDirection(NiftiHeader h) {
        double[][] a = itkAffine(h);
        if (a == null) {
            return new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1};
        }
        double[] dir = new double[9];
        for (int j = 0; j < 3; j++) {
            double n = norm(a, j);
            if (n == 0) {
                n = 1;
            }
            // + 0.0 turns -0.0 into 0.0, as SimpleITK prints them
            dir[j] = -a[0][j] / n + 0.0;
            dir[3 + j] = -a[1][j] / n + 0.0;
            dir[6 + j] = a[2][j] / n + 0.0;
        }
        if (isZero(dir)) {
            return new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1};
        }
        return dir;
    }

    private static boolean isZero(double[] v) {
        for (double x : v) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    /** True when the 3x3 part has orthogonal non-zero columns (no shear), within float32 precision. */
    private static boolean isRotationTimesScaling(double[][] a) {
        double[] n = new double[3];
        for (int j = 0; j < 3; j++) {
            n[j] = Math.sqrt(a[0][j] * a[0][j] + a[1][j] * a[1][j] + a[2][j] * a[2][j]);
            if (n[j] == 0 || !Double.isFinite(n[j])) {
                return false;
            }
        }
        for (int j = 0; j < 3; j++) {
            for (int k = j + 1; k < 3; k++) {
                double dot = (a[0][j] * a[0][k] + a[1][j] * a[1][k] + a[2][j] * a[2][k]) / (n[j] * n[k]);
                if (Math.abs(dot) > 1e-4) {
                    return false;
                }
            }
        }
        return true;
    }
}
