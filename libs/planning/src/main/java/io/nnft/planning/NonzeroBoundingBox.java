package io.nnft.planning;

/**
 * The bounding box of the voxels that are nonzero in any channel (the whole image when there is none):
 * all the fingerprint needs of nnU-Net's crop_to_nonzero, the box it crops to. nnU-Net fills holes in
 * that mask first; holes lie inside the box, so the box is the same. The crop itself (data, label map,
 * -1 outside the mask) is preprocessing's {@code CropToNonzero}.
 */
public final class NonzeroBoundingBox {
    private NonzeroBoundingBox() {
    }

    /** {@code [zmin, zmax), [ymin, ymax), [xmin, xmax)} as {lo0, hi0, lo1, hi1, lo2, hi2}. */
    public static int[] of(CaseData c) {
        int[] s = c.shape();
        if (s.length != 3) {
            throw new PlansException("case " + c.id() + ": expected a 3-d image (z, y, x), found shape "
                    + java.util.Arrays.toString(s));
        }
        int nz = s[0], ny = s[1], nx = s[2];
        int z0 = nz, z1 = -1, y0 = ny, y1 = -1, x0 = nx, x1 = -1;
        float[][] ch = c.channels();
        int i = 0;
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++, i++) {
                    boolean nonzero = false;
                    for (float[] a : ch) {
                        if (a[i] != 0) {
                            nonzero = true;
                            break;
                        }
                    }
                    if (nonzero) {
                        if (z < z0) z0 = z;
                        if (z > z1) z1 = z;
                        if (y < y0) y0 = y;
                        if (y > y1) y1 = y;
                        if (x < x0) x0 = x;
                        if (x > x1) x1 = x;
                    }
                }
            }
        }
        if (z1 < 0) {
            // acvl_utils' get_bbox_from_mask keeps the full extent when the mask is empty
            return new int[]{0, nz, 0, ny, 0, nx};
        }
        return new int[]{z0, z1 + 1, y0, y1 + 1, x0, x1 + 1};
    }
}
