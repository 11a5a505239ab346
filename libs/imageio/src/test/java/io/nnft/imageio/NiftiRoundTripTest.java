package io.nnft.imageio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NiftiRoundTripTest {
    @TempDir
    Path dir;

    /** A (z,y,x) = (2,3,4) array of the given type whose values include the type's extremes. */
    static NdArray sample(DType dtype) {
        long[] shape = {2, 3, 4};
        int n = 24;
        ByteBuffer b = ByteBuffer.allocate(n * dtype.size()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            switch (dtype) {
                case UINT8 -> b.put((byte) (i == 0 ? 255 : i * 7));
                case INT8 -> b.put((byte) (i == 0 ? -128 : i == 1 ? 127 : i - 12));
                case INT16 -> b.putShort((short) (i == 0 ? Short.MIN_VALUE : i == 1 ? Short.MAX_VALUE : i * 100 - 1024));
                case UINT16 -> b.putShort((short) (i == 0 ? 65535 : i * 1000));
                case INT32 -> b.putInt(i == 0 ? Integer.MIN_VALUE : i == 1 ? Integer.MAX_VALUE : i * 100_000 - 7);
                case UINT32 -> b.putInt(i == 0 ? -1 : i * 123_456);
                case INT64 -> b.putLong(i == 0 ? Long.MIN_VALUE : i == 1 ? Long.MAX_VALUE : i * 10_000_000_000L);
                case FLOAT32 -> b.putFloat(i == 0 ? Float.NaN : i == 1 ? -Float.MAX_VALUE : i * 0.1f - 1.5f);
                case FLOAT64 -> b.putDouble(i == 0 ? Double.NEGATIVE_INFINITY : i == 1 ? 1e300 : i * 0.01 - 0.5);
                default -> throw new IllegalArgumentException(dtype.toString());
            }
        }
        b.flip();
        return new NdArray(dtype, shape, b);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"UINT8", "INT8", "INT16", "UINT16", "INT32", "UINT32", "INT64",
        "FLOAT32", "FLOAT64"})
    void everyDtypeRoundTripsBitExactInNiiAndNiiGz(DType dtype) throws IOException {
        NdArray data = sample(dtype);
        NiftiImage img = NiftiImage.of(data, new double[] {2.5, 0.75, 0.5});
        for (String name : new String[] {"a.nii", "a.nii.gz"}) {
            Path f = dir.resolve(name);
            Nifti.write(f, img);
            NiftiImage back = Nifti.read(f);
            assertThat(back.data().dtype()).isEqualTo(dtype);
            assertThat(back.shape()).containsExactly(2, 3, 4);
            assertThat(bytes(back.data())).isEqualTo(bytes(data));
            assertThat(back.spacing()).containsExactly(2.5, 0.75, 0.5);
            assertThat(back.header().version()).isEqualTo(1);
        }
        assertThat(isGzip(dir.resolve("a.nii.gz"))).isTrue();
        assertThat(isGzip(dir.resolve("a.nii"))).isFalse();
    }

    @Test
    void onDiskOrderIsXFastestWithShapeReversed() throws IOException {
        // value = 100 z + 10 y + x in our (z, y, x) array
        short[] v = new short[2 * 3 * 4];
        for (int z = 0, i = 0; z < 2; z++) {
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 4; x++, i++) {
                    v[i] = (short) (100 * z + 10 * y + x);
                }
            }
        }
        Path f = dir.resolve("order.nii");
        Nifti.write(f, NiftiImage.of(NdArray.ofShorts(new long[] {2, 3, 4}, v), new double[] {3, 2, 1}));
        ByteBuffer raw = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        // header: dim = [3, nx=4, ny=3, nz=2], pixdim x=1, y=2, z=3
        assertThat(new short[] {raw.getShort(40), raw.getShort(42), raw.getShort(44), raw.getShort(46)})
                .containsExactly(3, 4, 3, 2);
        assertThat(new float[] {raw.getFloat(80), raw.getFloat(84), raw.getFloat(88)}).containsExactly(1f, 2f, 3f);
        // the voxel at file index (x=1, y=2, z=1) sits at 352 + 2 * (1 + 4 * (2 + 3 * 1))
        assertThat(raw.getShort(352 + 2 * (1 + 4 * (2 + 3)))).isEqualTo((short) 121);
    }

    @Test
    void nifti2RoundTripsWithDoublePrecisionGeometry() throws IOException {
        NiftiImage img = NiftiImage.of(sample(DType.FLOAT32), new double[] {1.1, 0.3, 0.7});
        NiftiHeader h = img.header();
        h.version = 2;
        // NiftiImage.of rounded to float32 for NIfTI-1; NIfTI-2 holds doubles
        h.pixdim[1] = 0.7;
        h.pixdim[2] = 0.3;
        h.pixdim[3] = 1.1;
        h.sformCode = 2;
        h.srowX = new double[] {0.7 * Math.cos(0.3), -0.3 * Math.sin(0.3), 0, 12.345678901234};
        h.srowY = new double[] {0.7 * Math.sin(0.3), 0.3 * Math.cos(0.3), 0, -9.87654321};
        h.srowZ = new double[] {0, 0, 1.1, 1e-9};
        h.quaternD = Math.sin(0.15);
        h.qoffsetX = 12.345678901234;
        Path f = dir.resolve("v2.nii.gz");
        Nifti.write(f, img);
        byte[] head = new GZIPInputStream(Files.newInputStream(f)).readNBytes(12);
        assertThat(ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getInt(0)).isEqualTo(540);
        assertThat(new String(head, 4, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("n+2");
        NiftiImage back = Nifti.read(f);
        assertThat(back.header().version()).isEqualTo(2);
        assertThat(back.spacing()).containsExactly(1.1, 0.3, 0.7);
        assertSameGeometry(back.header(), h);
        assertThat(bytes(back.data())).isEqualTo(bytes(img.data()));
    }

    @Test
    void aDimensionBeyond32767IsWrittenAsNifti2() throws IOException {
        NdArray data = new NdArray(DType.UINT8, new long[] {1, 1, 40_000}, ByteBuffer.allocate(40_000));
        Path f = dir.resolve("long.nii");
        Nifti.write(f, NiftiImage.of(data, new double[] {1, 1, 1}));
        NiftiImage back = Nifti.read(f);
        assertThat(back.header().version()).isEqualTo(2);
        assertThat(back.shape()).containsExactly(1, 1, 40_000);
    }

    @Test
    void geometryWithRotationQformAndSformSurvivesWriteAndWithData() throws IOException {
        NiftiImage img = NiftiImage.of(sample(DType.INT16), new double[] {3, 0.8, 0.8});
        NiftiHeader h = img.header();
        // 30 degrees about z, qfac -1 (left-handed), scanner qform; a sheared aligned sform
        h.quaternB = 0;
        h.quaternC = 0;
        h.quaternD = (float) Math.sin(Math.PI / 12);
        h.pixdim[0] = -1;
        h.qoffsetX = 120.5f;
        h.qoffsetY = -95.25f;
        h.qoffsetZ = 33f;
        h.qformCode = 1;
        h.sformCode = 2;
        h.srowX = new double[] {-0.8f, 0.1f, 0, 120f};
        h.srowY = new double[] {0, -0.8f, 0, 95.5f};
        h.srowZ = new double[] {0, 0, 3f, -310f};
        h.xyztUnits = 10;
        h.descrip = "geometry test";
        Path f = dir.resolve("geo.nii.gz");
        Nifti.write(f, img);
        NiftiImage back = Nifti.read(f);
        assertSameGeometry(back.header(), h);
        assertThat(back.header().descrip()).isEqualTo("geometry test");
        assertThat(back.affine()).isDeepEqualTo(img.affine());

        NdArray pred = new NdArray(DType.UINT8, new long[] {2, 3, 4}, ByteBuffer.wrap(new byte[24]));
        Path p = dir.resolve("pred.nii.gz");
        Nifti.write(p, back.withData(pred));
        NiftiImage reopened = Nifti.read(p);
        assertThat(reopened.data().dtype()).isEqualTo(DType.UINT8);
        assertSameGeometry(reopened.header(), h);
        assertThat(reopened.origin()).containsExactly(back.origin());
        assertThat(reopened.direction()).containsExactly(back.direction());
        // the sform is sheared, so ITK falls back to the qform: 30 degrees about z, z flipped by qfac
        double c = Math.cos(Math.PI / 6);
        double s = Math.sin(Math.PI / 6);
        assertThat(back.direction()).containsExactly(new double[] {-c, s, 0, -s, -c, 0, 0, 0, -1}, within(1e-6));
        assertThat(back.origin()).containsExactly(new double[] {-120.5, 95.25, 33}, within(1e-9));
    }

    @Test
    void qformIsUsedByNibabelAffineWhenThereIsNoSform() throws IOException {
        NiftiImage img = NiftiImage.of(sample(DType.UINT8), new double[] {2, 1, 0.5});
        NiftiHeader h = img.header();
        h.sformCode = 0;
        h.quaternB = 0;
        h.quaternC = 0;
        h.quaternD = 1; // 180 degrees about z: x and y flipped
        h.qoffsetX = 10;
        h.qoffsetY = 20;
        h.qoffsetZ = 30;
        double[][] a = img.affine();
        assertThat(a[0]).containsExactly(new double[] {-0.5, 0, 0, 10}, within(1e-12));
        assertThat(a[1]).containsExactly(new double[] {0, -1, 0, 20}, within(1e-12));
        assertThat(a[2]).containsExactly(new double[] {0, 0, 2, 30}, within(1e-12));
        assertThat(img.origin()).containsExactly(-10, -20, 30);
        assertThat(img.direction()).containsExactly(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, within(1e-12));
    }

    @Test
    void simpleItkGeometryFollowsItksChoiceBetweenSformAndQform() {
        NiftiImage img = NiftiImage.of(sample(DType.UINT8), new double[] {2, 1, 0.5});
        NiftiHeader h = img.header();
        // qform: identity rotation at (1, 2, 3); sform: x and y flipped (RAS -> LPS-like) at (10, 20, 30)
        h.qoffsetX = 1;
        h.qoffsetY = 2;
        h.qoffsetZ = 3;
        h.srowX = new double[] {-0.5, 0, 0, 10};
        h.srowY = new double[] {0, -1, 0, 20};
        h.srowZ = new double[] {0, 0, 2, 30};
        h.qformCode = 1;
        h.sformCode = 1; // scanner-anatomical sform without shear: ITK takes it (RAS x, y flipped = LPS identity)
        assertThat(img.origin()).containsExactly(-10, -20, 30);
        assertThat(img.direction()).containsExactly(1, 0, 0, 0, 1, 0, 0, 0, 1);
        h.sformCode = 2; // aligned sform that disagrees with the qform: ITK keeps the qform
        assertThat(img.origin()).containsExactly(-1, -2, 3);
        assertThat(img.direction()).containsExactly(-1, 0, 0, 0, -1, 0, 0, 0, 1);
        h.srowX = new double[] {0.5, 0, 0, 1};
        h.srowY = new double[] {0, 1, 0, 2};
        h.srowZ = new double[] {0, 0, 2, 3.00001};
        assertThat(img.origin()).as("aligned sform agreeing with the qform to 1e-4 wins")
                .containsExactly(-1, -2, 3.00001);
        h.qformCode = 0; // only an sform: ITK takes it
        h.srowX = new double[] {-0.5, 0, 0, 10};
        assertThat(img.origin()).containsExactly(-10, -2, 3.00001);
        assertThat(img.direction()).containsExactly(1, 0, 0, 0, -1, 0, 0, 0, 1);
        h.sformCode = 0; // neither: origin 0, identity
        assertThat(img.origin()).containsExactly(0, 0, 0);
        assertThat(img.direction()).containsExactly(1, 0, 0, 0, 1, 0, 0, 0, 1);
        // while nibabel's affine is then pixdim-only, centred, x flipped
        double[][] a = img.affine();
        assertThat(a[0]).containsExactly(-0.5, 0, 0, 0.75);
        assertThat(a[1]).containsExactly(0, 1, 0, -1);
        assertThat(a[2]).containsExactly(0, 0, 2, -1);
    }

    @Test
    void sclSlopeAndInterAreAppliedToRealValuesOnly() throws IOException {
        NiftiImage img = NiftiImage.of(NdArray.ofShorts(new long[] {1, 1, 3}, new short[] {0, 10, -20}),
                new double[] {1, 1, 1});
        img.header().sclSlope = 0.5;
        img.header().sclInter = -1024;
        Path f = dir.resolve("scaled.nii.gz");
        Nifti.write(f, img);
        NiftiImage back = Nifti.read(f);
        assertThat(back.data().toFloats()).containsExactly(0, 10, -20);
        assertThat(back.toFloats()).containsExactly(-1024f, -1019f, -1034f);
        assertThat(back.toDoubles()).containsExactly(-1024, -1019, -1034);
        // a prediction written over it carries no scaling
        NiftiImage pred = back.withData(NdArray.ofShorts(new long[] {1, 1, 3}, new short[] {1, 2, 3}));
        Nifti.write(f, pred);
        assertThat(Nifti.read(f).toFloats()).containsExactly(1, 2, 3);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, Double.NaN})
    void slopeZeroOrNanMeansNoScaling(double slope) throws IOException {
        NiftiImage img = NiftiImage.of(NdArray.ofShorts(new long[] {1, 1, 2}, new short[] {7, -3}),
                new double[] {1, 1, 1});
        img.header().sclSlope = slope;
        img.header().sclInter = 100;
        Path f = dir.resolve("noscale.nii");
        Nifti.write(f, img);
        assertThat(Nifti.read(f).toFloats()).containsExactly(7, -3);
    }

    @Test
    void bigEndianFilesAreReadWithTheirValues() throws IOException {
        Path le = dir.resolve("le.nii");
        NdArray data = sample(DType.INT32);
        NiftiImage img = NiftiImage.of(data, new double[] {2, 3, 4});
        Nifti.write(le, img);
        Path be = dir.resolve("be.nii");
        Files.write(be, NiftiTestFiles.toBigEndianNifti1(Files.readAllBytes(le), 4));
        NiftiImage back = Nifti.read(be);
        assertThat(back.data().toDoubles()).containsExactly(data.toDoubles());
        assertThat(back.spacing()).containsExactly(2, 3, 4);
    }

    @Test
    void fourDimensionalFilesKeepTheLeadingAxis() throws IOException {
        float[] v = new float[2 * 2 * 3 * 4];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        NiftiImage img = NiftiImage.of(NdArray.ofFloats(new long[] {2, 2, 3, 4}, v), new double[] {3, 2, 1});
        Path f = dir.resolve("4d.nii.gz");
        Nifti.write(f, img);
        NiftiImage back = Nifti.read(f);
        assertThat(back.header().fileShape()).containsExactly(4, 3, 2, 2);
        assertThat(back.shape()).containsExactly(2, 2, 3, 4);
        assertThat(back.spacing()).containsExactly(3, 2, 1);
        assertThat(back.toFloats()).containsExactly(v);
    }

    @Test
    void trailingSizeOneDimsAreDroppedLikeSimpleItkDoes() throws IOException {
        Path f = dir.resolve("3d.nii");
        Nifti.write(f, NiftiImage.of(sample(DType.INT16), new double[] {3, 2, 1}));
        byte[] b = NiftiTestFiles.withShort(Files.readAllBytes(f), 40, 5); // dim[0] = 5
        b = NiftiTestFiles.withShort(b, 48, 1); // dim[4] = 1
        b = NiftiTestFiles.withShort(b, 50, 1); // dim[5] = 1
        Files.write(f, b);
        NiftiImage back = Nifti.read(f);
        assertThat(back.header().fileShape()).containsExactly(4, 3, 2, 1, 1);
        assertThat(back.shape()).containsExactly(2, 3, 4);
        assertThat(back.spacing()).containsExactly(3, 2, 1);
        // and written back with its 5-dim header
        Nifti.write(f, back);
        assertThat(Nifti.read(f).header().fileShape()).containsExactly(4, 3, 2, 1, 1);
        NiftiImage leading = NiftiImage.of(NdArray.ofShorts(new long[] {1, 2, 3, 4}, new short[24]), new double[] {3, 2, 1});
        assertThat(leading.shape()).containsExactly(2, 3, 4);
        assertThat(leading.header().fileShape()).containsExactly(4, 3, 2, 1);
    }

    static void assertSameGeometry(NiftiHeader a, NiftiHeader b) {
        assertThat(a.dim()).containsExactly(b.dim());
        assertThat(a.pixdim()).containsExactly(b.pixdim());
        assertThat(a.qformCode()).isEqualTo(b.qformCode());
        assertThat(a.sformCode()).isEqualTo(b.sformCode());
        assertThat(a.quatern()).containsExactly(b.quatern());
        assertThat(a.qoffset()).containsExactly(b.qoffset());
        assertThat(a.srow()).isDeepEqualTo(b.srow());
        assertThat(a.xyztUnits()).isEqualTo(b.xyztUnits());
    }

    static byte[] bytes(NdArray a) {
        ByteBuffer b = a.data();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private static boolean isGzip(Path f) throws IOException {
        byte[] b = Files.readAllBytes(f);
        return (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b;
    }
}
