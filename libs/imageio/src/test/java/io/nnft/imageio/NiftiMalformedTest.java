package io.nnft.imageio;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken and hostile files fail fast, with the file and the problem in the message. */
class NiftiMalformedTest {
    @TempDir
    Path dir;
    private byte[] good;
    private byte[] good2;

    @BeforeEach
    void writeValidFiles() throws IOException {
        NiftiImage img = NiftiImage.of(NiftiRoundTripTest.sample(DType.INT16), new double[] {1, 1, 1});
        Path f = dir.resolve("good.nii");
        Nifti.write(f, img);
        good = Files.readAllBytes(f);
        img.header().version = 2;
        Path f2 = dir.resolve("good2.nii");
        Nifti.write(f2, img);
        good2 = Files.readAllBytes(f2);
    }

    private Path file(String name, byte[] content) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, content);
        return f;
    }

    private static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(b);
        }
        return out.toByteArray();
    }

    @Test
    void badSizeofHdr() throws IOException {
        Path f = file("size.nii", NiftiTestFiles.withInt(good, 0, 123));
        assertThatThrownBy(() -> Nifti.read(f)).isInstanceOf(NiftiFormatException.class)
                .hasMessageStartingWith(f.toString())
                .hasMessageContaining("bad sizeof_hdr: expected 348 (NIfTI-1) or 540 (NIfTI-2)")
                .hasMessageContaining("found 123");
    }

    @Test
    void notANiftiFileAtAll() throws IOException {
        Path f = file("text.nii.gz", gzip("hello world, this is not an image".getBytes()));
        assertThatThrownBy(() -> Nifti.read(f)).isInstanceOf(NiftiFormatException.class)
                .hasMessageContaining("text.nii.gz").hasMessageContaining("bad sizeof_hdr");
    }

    @Test
    void badMagicNifti1AndNifti2() throws IOException {
        Path f = file("magic.nii", NiftiTestFiles.withInt(good, 344, 0x00313f6e)); // "n?1\0"
        assertThatThrownBy(() -> Nifti.read(f)).isInstanceOf(NiftiFormatException.class)
                .hasMessageContaining("magic.nii").hasMessageContaining("bad magic: expected 'n+1'")
                .hasMessageContaining("found 'n?1");
        Path f2 = file("magic2.nii", NiftiTestFiles.withInt(good2, 4, 0x00333f6e));
        assertThatThrownBy(() -> Nifti.read(f2)).isInstanceOf(NiftiFormatException.class)
                .hasMessageContaining("magic2.nii").hasMessageContaining("bad magic: expected 'n+2");
        Path pair = file("pair.nii", NiftiTestFiles.withInt(good, 344, 0x0031696e)); // "ni1\0"
        assertThatThrownBy(() -> Nifti.read(pair)).hasMessageContaining("header/image pair");
    }

    @Test
    void nonPositiveDims() throws IOException {
        Path zero = file("zero.nii", NiftiTestFiles.withShort(good, 44, 0)); // dim[2] = 0
        assertThatThrownBy(() -> Nifti.read(zero)).isInstanceOf(NiftiFormatException.class)
                .hasMessageContaining("zero.nii").hasMessageContaining("non-positive dim[2]: expected >= 1, found 0");
        Path neg = file("neg.nii", NiftiTestFiles.withShort(good, 42, -4));
        assertThatThrownBy(() -> Nifti.read(neg)).hasMessageContaining("non-positive dim[1]: expected >= 1, found -4");
        Path ndim = file("ndim.nii", NiftiTestFiles.withShort(good, 40, 0));
        assertThatThrownBy(() -> Nifti.read(ndim)).hasMessageContaining("bad dim[0]: expected 1..7 dimensions, found 0");
        Path ndim9 = file("ndim9.nii", NiftiTestFiles.withShort(good, 40, 9));
        assertThatThrownBy(() -> Nifti.read(ndim9)).hasMessageContaining("found 9");
    }

    @Test
    void absurdDimsAndVoxelCountOverflowInNifti2() throws IOException {
        Path huge = file("huge.nii", NiftiTestFiles.withLong(good2, 16 + 8, 1L << 40)); // dim[1]
        assertThatThrownBy(() -> Nifti.read(huge)).isInstanceOf(NiftiFormatException.class)
                .hasMessageContaining("huge.nii").hasMessageContaining("absurd dim[1]");
        byte[] b = NiftiTestFiles.withLong(good2, 16 + 8, Integer.MAX_VALUE);
        b = NiftiTestFiles.withLong(b, 16 + 16, Integer.MAX_VALUE);
        b = NiftiTestFiles.withLong(b, 16 + 24, Integer.MAX_VALUE);
        Path overflow = file("overflow.nii", b);
        assertThatThrownBy(() -> Nifti.read(overflow)).isInstanceOf(NiftiFormatException.class)
                .hasMessageContaining("overflow.nii").hasMessageContaining("voxel count overflows");
    }

    @Test
    void declaredSizeOverTheLimitFailsBeforeAllocating() throws IOException {
        // 30000^3 float64 voxels = 216 TB: refused by the default limit without touching memory
        byte[] b = NiftiTestFiles.withShort(good, 70, 64);
        for (int i = 1; i <= 3; i++) {
            b = NiftiTestFiles.withShort(b, 40 + 2 * i, 30000);
        }
        Path hostile = file("hostile.nii.gz", gzip(b));
        assertThatThrownBy(() -> Nifti.read(hostile)).isInstanceOf(NiftiFormatException.class)
                .hasMessageContaining("hostile.nii.gz")
                .hasMessageContaining("declared voxel data of 216000000000000 bytes")
                .hasMessageContaining("over the limit of " + Nifti.DEFAULT_MAX_BYTES);
        // a configurable limit: the 48-byte int16 volume is refused under 40 bytes, read under 48
        Path f = file("small.nii", good);
        assertThatThrownBy(() -> Nifti.read(f, 40)).hasMessageContaining("48 bytes")
                .hasMessageContaining("over the limit of 40 bytes");
        Nifti.read(f, 48);
    }

    @Test
    void gzippedHeaderDeclaringMoreThanDeflateCanUnpackFailsBeforeAllocating() throws IOException {
        // found by NiftiFuzzTest: ~90 gzipped bytes declaring 1 GiB of voxels had the reader allocate 1 GiB first
        byte[] b = NiftiTestFiles.withShort(good, 70, 16);
        b = NiftiTestFiles.withShort(NiftiTestFiles.withShort(NiftiTestFiles.withShort(b, 42, 1024), 44, 1024), 46, 256);
        Path bomb = file("bomb.nii.gz", gzip(Arrays.copyOf(b, 352)));
        assertThatThrownBy(() -> Nifti.read(bomb)).isInstanceOf(NiftiFormatException.class)
                .hasMessageContaining("bomb.nii.gz")
                .hasMessageContaining("header declares 1073741824 bytes of voxel data at offset 352")
                .hasMessageContaining("more than a gzip file of").hasMessageContaining("1032 : 1");
    }

    @Test
    void truncatedDataPlainAndGzipped() throws IOException {
        byte[] cut = Arrays.copyOf(good, good.length - 5);
        Path plain = file("cut.nii", cut);
        assertThatThrownBy(() -> Nifti.read(plain)).isInstanceOf(NiftiFormatException.class)
                .hasMessageContaining("cut.nii").hasMessageContaining("truncated")
                .hasMessageContaining("48 bytes of voxel data");
        Path gz = file("cut.nii.gz", gzip(cut));
        assertThatThrownBy(() -> Nifti.read(gz)).isInstanceOf(NiftiFormatException.class)
                .hasMessageContaining("cut.nii.gz")
                .hasMessageContaining("truncated voxel data: expected 48 bytes").hasMessageContaining("found 43");
        byte[] full = gzip(good);
        Path brokenStream = file("stream.nii.gz", Arrays.copyOf(full, full.length - 20));
        assertThatThrownBy(() -> Nifti.read(brokenStream)).isInstanceOf(NiftiFormatException.class)
                .hasMessageContaining("stream.nii.gz").hasMessageContaining("truncated");
        Path header = file("header.nii", Arrays.copyOf(good, 200));
        assertThatThrownBy(() -> Nifti.read(header)).hasMessageContaining("truncated header: expected 348 bytes, found 200");
    }

    @Test
    void unknownDatatype() throws IOException {
        Path complex = file("complex.nii", NiftiTestFiles.withShort(good, 70, 32));
        assertThatThrownBy(() -> Nifti.read(complex)).isInstanceOf(NiftiFormatException.class)
                .hasMessageContaining("complex.nii").hasMessageContaining("unsupported datatype 32")
                .hasMessageContaining("expected one of 2 (uint8)");
        Path junk = file("junk.nii", NiftiTestFiles.withShort(good, 70, 1234));
        assertThatThrownBy(() -> Nifti.read(junk)).hasMessageContaining("datatype 1234");
    }

    @Test
    void badVoxOffsetAndPixdim() throws IOException {
        Path early = file("early.nii", NiftiTestFiles.withFloat(good, 108, 100));
        assertThatThrownBy(() -> Nifti.read(early)).hasMessageContaining("early.nii")
                .hasMessageContaining("bad vox_offset: expected >= 348").hasMessageContaining("found 100");
        Path beyond = file("beyond.nii.gz", gzip(NiftiTestFiles.withFloat(good, 108, 1e6f)));
        assertThatThrownBy(() -> Nifti.read(beyond)).hasMessageContaining("beyond.nii.gz")
                .hasMessageContaining("truncated: header declares 48 bytes of voxel data at offset 1000000");
        Path far = file("far.nii", NiftiTestFiles.withLong(good2, 168, Long.MAX_VALUE - 10));
        assertThatThrownBy(() -> Nifti.read(far)).hasMessageContaining("far.nii")
                .hasMessageContaining("absurd vox_offset");
        Path nan = file("nan.nii", NiftiTestFiles.withFloat(good, 84, Float.NaN)); // pixdim[2]
        assertThatThrownBy(() -> Nifti.read(nan)).hasMessageContaining("bad pixdim[2]");
    }

    @Test
    void corruptGzip() throws IOException {
        byte[] z = gzip(good);
        for (int i = 20; i < 40; i++) {
            z[i] ^= 0x5a;
        }
        Path f = file("corrupt.nii.gz", z);
        assertThatThrownBy(() -> Nifti.read(f)).isInstanceOf(NiftiFormatException.class)
                .hasMessageContaining("corrupt.nii.gz");
    }
}
