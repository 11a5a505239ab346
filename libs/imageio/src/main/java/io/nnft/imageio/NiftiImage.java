package io.nnft.imageio;

import java.util.Arrays;

/**
 * A NIfTI volume as nnU-Net sees it: the voxels in (z, y, x) order — the file's x-fastest order with
 * the shape reversed, exactly what SimpleITK's GetArrayFromImage and NibabelIO's transpose((2,1,0))
 * give — plus the whole header, so geometry survives a write.
 */
public final class NiftiImage {
    private final NiftiHeader header;
    private final NdArray data;

    NiftiImage(NiftiHeader header, NdArray data) {
        long[] expected = arrayShape(header);
        if (!Arrays.equals(expected, data.shape())) {
            throw new IllegalArgumentException("data shape " + Arrays.toString(data.shape())
                    + " does not match the header's dims reversed " + Arrays.toString(expected));
        }
        this.header = header;
        this.data = data;
    }

    /**
     * A new image of the given (z, y, x) data and (z, y, x) spacing, axis-aligned at the origin, with
     * qform and sform both set (code 1, scanner) so every reader agrees on its geometry.
     */
    public static NiftiImage of(NdArray data, double[] spacingZyx) {
        int ndim = data.shape().length;
        if (ndim < 1 || ndim > 7) {
            throw new IllegalArgumentException("NIfTI holds 1 to 7 dimensions, found shape "
                    + Arrays.toString(data.shape()));
        }
        int spatial = Math.min(3, ndim);
        if (spacingZyx.length != spatial) {
            throw new IllegalArgumentException("expected " + spatial + " spacing values for shape "
                    + Arrays.toString(data.shape()) + ", found " + Arrays.toString(spacingZyx));
        }
        NiftiHeader h = new NiftiHeader();
        long[] fileShape = reversed(data.shape());
        h.dim[0] = ndim;
        Arrays.fill(h.dim, 1 + ndim, 8, 1);
        Arrays.fill(h.pixdim, 1.0);
        System.arraycopy(fileShape, 0, h.dim, 1, ndim);
        h.version = needsNifti2(fileShape) ? 2 : 1;
        for (int i = 0; i < spatial; i++) {
            double s = spacingZyx[spatial - 1 - i];
            // NIfTI-1 stores float32: hold what the file will hold, so the image equals its reread self
            h.pixdim[1 + i] = h.version == 1 ? (float) s : s;
        }
        h.pixdim[0] = 1; // qfac
        h.xyztUnits = 2 | 8; // mm, s
        h.qformCode = 1;
        h.sformCode = 1;
        h.srowX[0] = h.pixdim[1];
        h.srowY[1] = h.pixdim[2];
        h.srowZ[2] = h.pixdim[3];
        h.sclSlope = 1;
        h.voxOffset = h.version == 2 ? NiftiHeaderCodec.NIFTI2_DATA_OFFSET : NiftiHeaderCodec.NIFTI1_DATA_OFFSET;
        h.datatype = codeFor(data.dtype());
        // a leading size-1 axis beyond (z, y, x) is a trailing dim of 1 in the file, dropped on read
        return new NiftiImage(h, new NdArray(data.dtype(), arrayShape(h), data.data()));
    }

    /**
     * The same geometry (dims, pixdim, qform, sform, units) with other voxels, e.g. a predicted
     * segmentation. The datatype follows the new array; scaling is reset (slope 1, intercept 0) because
     * the new values are the real values, and cal_min/cal_max are cleared.
     */
    public NiftiImage withData(NdArray newData) {
        if (!Arrays.equals(data.shape(), newData.shape())) {
            throw new IllegalArgumentException("new data must have this image's (z, y, x) shape "
                    + Arrays.toString(data.shape()) + ", found " + Arrays.toString(newData.shape()));
        }
        NiftiHeader h = header.copy();
        h.datatype = codeFor(newData.dtype());
        h.sclSlope = 1;
        h.sclInter = 0;
        h.calMin = 0;
        h.calMax = 0;
        return new NiftiImage(h, newData);
    }

    /** The header as read (or as it will be written). */
    public NiftiHeader header() {
        return header;
    }

    /**
     * The stored voxels, unscaled, in (z, y, x) order (or (t, z, y, x) for 4D files; trailing size-1
     * dims beyond the third are dropped, as SimpleITK does).
     */
    public NdArray data() {
        return data;
    }

    /** (z, y, x) shape. */
    public long[] shape() {
        return data.shape();
    }

    /**
     * Voxel spacing in (z, y, x) order as nnU-Net reports it: |pixdim| of the spatial axes, reversed.
     * A 2D file gives (y, x); axes beyond the third (time, channels) have no spacing here.
     */
    public double[] spacing() {
        int spatial = Math.min(3, header.ndim());
        double[] s = new double[spatial];
        for (int i = 0; i < spatial; i++) {
            s[i] = Math.abs(header.pixdim[spatial - i]);
        }
        return s;
    }

    /** SimpleITK's GetSpacing(): spatial voxel size in (x, y, z) order. */
    public double[] sitkSpacing() {
        int spatial = Math.min(3, header.ndim());
        double[] s = new double[spatial];
        for (int i = 0; i < spatial; i++) {
            s[i] = Math.abs(header.pixdim[1 + i]);
        }
        return s;
    }

    /** SimpleITK's GetOrigin() (LPS, x first); what nnU-Net keeps as {@code sitk_stuff.origin}. */
    public double[] origin() {
        return NiftiGeometry.itkOrigin(header);
    }

    /** SimpleITK's GetDirection() (3x3 row-major, LPS); what nnU-Net keeps as {@code sitk_stuff.direction}. */
    public double[] direction() {
        return NiftiGeometry.itkDirection(header);
    }

    /** nibabel's {@code img.affine} (RAS 4x4); what nnU-Net's NibabelIO keeps as {@code original_affine}. */
    public double[][] affine() {
        return NiftiGeometry.bestAffine(header);
    }

    /** Real values (scl_slope/scl_inter applied when set) as float32, like nnU-Net's float32 stack. */
    public float[] toFloats() {
        if (!header.isScaled()) {
            return data.toFloats();
        }
        double[] d = toDoubles();
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    /** Real values (scl_slope/scl_inter applied when set) as float64, like nibabel's get_fdata(). */
    public double[] toDoubles() {
        double[] d = data.toDoubles();
        if (header.isScaled()) {
            double slope = header.sclSlope;
            double inter = Double.isFinite(header.sclInter) ? header.sclInter : 0;
            for (int i = 0; i < d.length; i++) {
                d[i] = d[i] * slope + inter;
            }
        }
        return d;
    }

    static boolean needsNifti2(long[] fileShape) {
        for (long d : fileShape) {
            if (d > Short.MAX_VALUE) {
                return true;
            }
        }
        return false;
    }

    private static int codeFor(DType dtype) {
        NiftiDataType t = NiftiDataType.of(dtype);
        if (t == null) {
            throw new IllegalArgumentException("element type " + dtype + " has no NIfTI datatype; expected one of "
                    + NiftiDataType.supported());
        }
        return t.code;
    }

    /**
     * The array shape for a header: the file's dims reversed, after dropping trailing size-1 dims beyond
     * the third (a dim[0] = 4 file with dim[4] = 1 is a 3D volume), as SimpleITK's reader does.
     */
    static long[] arrayShape(NiftiHeader h) {
        long[] file = h.fileShape();
        int n = file.length;
        while (n > 3 && file[n - 1] == 1) {
            n--;
        }
        return reversed(Arrays.copyOf(file, n));
    }

    static long[] reversed(long[] a) {
        long[] r = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[a.length - 1 - i];
        }
        return r;
    }

    @Override
    public String toString() {
        return "NiftiImage[" + data + " spacing(z,y,x)=" + Arrays.toString(spacing()) + "]";
    }
}
