package io.nnft.imageio;

import java.util.Arrays;

/**
 * Every NIfTI header field that says what the voxels mean: dimensions, voxel size, scaling, units and
 * both orientations (qform and sform). Kept whole so that an image written back (or a prediction
 * written with {@link NiftiImage#withData}) reopens with the geometry it came with. Values are held
 * as double/long, wide enough for NIfTI-2; a NIfTI-1 file's float32 fields round-trip exactly.
 */
public final class NiftiHeader {
    /** Magic-derived format version: 1 for NIfTI-1 ("n+1"), 2 for NIfTI-2 ("n+2"). */
    int version = 1;
    /** True when the file was big endian; voxels are swapped to little endian on read. */
    boolean byteOrderBigEndian;
    /** dim[0] = number of dimensions, dim[1..] = x, y, z, t, ... sizes. */
    long[] dim = new long[8];
    int datatype;
    double[] pixdim = new double[8];
    long voxOffset;
    double sclSlope;
    double sclInter;
    int qformCode;
    int sformCode;
    double quaternB;
    double quaternC;
    double quaternD;
    double qoffsetX;
    double qoffsetY;
    double qoffsetZ;
    double[] srowX = new double[4];
    double[] srowY = new double[4];
    double[] srowZ = new double[4];
    int xyztUnits;
    int dimInfo;
    int intentCode;
    double intentP1;
    double intentP2;
    double intentP3;
    String intentName = "";
    String descrip = "";
    String auxFile = "";
    double calMin;
    double calMax;
    double sliceDuration;
    double toffset;
    long sliceStart;
    long sliceEnd;
    int sliceCode;

    NiftiHeader() {
    }

    NiftiHeader copy() {
        NiftiHeader h = new NiftiHeader();
        h.version = version;
        h.dim = dim.clone();
        h.datatype = datatype;
        h.pixdim = pixdim.clone();
        h.voxOffset = voxOffset;
        h.sclSlope = sclSlope;
        h.sclInter = sclInter;
        h.qformCode = qformCode;
        h.sformCode = sformCode;
        h.quaternB = quaternB;
        h.quaternC = quaternC;
        h.quaternD = quaternD;
        h.qoffsetX = qoffsetX;
        h.qoffsetY = qoffsetY;
        h.qoffsetZ = qoffsetZ;
        h.srowX = srowX.clone();
        h.srowY = srowY.clone();
        h.srowZ = srowZ.clone();
        h.xyztUnits = xyztUnits;
        h.dimInfo = dimInfo;
        h.intentCode = intentCode;
        h.intentP1 = intentP1;
        h.intentP2 = intentP2;
        h.intentP3 = intentP3;
        h.intentName = intentName;
        h.descrip = descrip;
        h.auxFile = auxFile;
        h.calMin = calMin;
        h.calMax = calMax;
        h.sliceDuration = sliceDuration;
        h.toffset = toffset;
        h.sliceStart = sliceStart;
        h.sliceEnd = sliceEnd;
        h.sliceCode = sliceCode;
        return h;
    }

    /** 1 for NIfTI-1, 2 for NIfTI-2. */
    public int version() {
        return version;
    }

    /** Number of dimensions (dim[0]). */
    public int ndim() {
        return (int) dim[0];
    }

    /** Sizes in file order (x, y, z, t, ...), dim[1..dim[0]]. */
    public long[] fileShape() {
        return Arrays.copyOfRange(dim, 1, 1 + ndim());
    }

    /** The raw dim[8] array. */
    public long[] dim() {
        return dim.clone();
    }

    /** NIfTI datatype code (2 uint8, 4 int16, 16 float32, ...). */
    public int datatype() {
        return datatype;
    }

    /** The raw pixdim[8] array; pixdim[0] is qfac, pixdim[1..3] the voxel size along x, y, z. */
    public double[] pixdim() {
        return pixdim.clone();
    }

    public long voxOffset() {
        return voxOffset;
    }

    public double sclSlope() {
        return sclSlope;
    }

    public double sclInter() {
        return sclInter;
    }

    /** True when scl_slope asks for scaling: the standard says 0 means none, and NaN/inf are meaningless. */
    public boolean isScaled() {
        return sclSlope != 0 && Double.isFinite(sclSlope)
                && !(sclSlope == 1 && (sclInter == 0 || !Double.isFinite(sclInter)));
    }

    public int qformCode() {
        return qformCode;
    }

    public int sformCode() {
        return sformCode;
    }

    /** quatern_b, quatern_c, quatern_d. */
    public double[] quatern() {
        return new double[] {quaternB, quaternC, quaternD};
    }

    /** qoffset_x, qoffset_y, qoffset_z. */
    public double[] qoffset() {
        return new double[] {qoffsetX, qoffsetY, qoffsetZ};
    }

    /** srow_x, srow_y, srow_z as a 3x4 matrix. */
    public double[][] srow() {
        return new double[][] {srowX.clone(), srowY.clone(), srowZ.clone()};
    }

    public int xyztUnits() {
        return xyztUnits;
    }

    public int dimInfo() {
        return dimInfo;
    }

    public int intentCode() {
        return intentCode;
    }

    public String intentName() {
        return intentName;
    }

    public String descrip() {
        return descrip;
    }

    public String auxFile() {
        return auxFile;
    }

    public double calMin() {
        return calMin;
    }

    public double calMax() {
        return calMax;
    }

    public double toffset() {
        return toffset;
    }

    public double sliceDuration() {
        return sliceDuration;
    }

    public long sliceStart() {
        return sliceStart;
    }

    public long sliceEnd() {
        return sliceEnd;
    }

    public int sliceCode() {
        return sliceCode;
    }

    /** The nibabel-style affine (RAS, 4x4): sform if sform_code > 0, else qform if qform_code > 0, else pixdim only. */
    public double[][] affine() {
        return NiftiGeometry.bestAffine(this);
    }

    @Override
    public String toString() {
        return "NiftiHeader[v" + version + " dim=" + Arrays.toString(fileShape()) + " datatype=" + datatype
                + " pixdim=" + Arrays.toString(Arrays.copyOfRange(pixdim, 0, 1 + Math.max(0, ndim())))
                + " qform_code=" + qformCode + " sform_code=" + sformCode + "]";
    }
}
