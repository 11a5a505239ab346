package io.nnft.preprocessing.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nnft.imageio.NdArray;
import io.nnft.imageio.Nifti;
import io.nnft.imageio.NiftiImage;
import io.nnft.preprocessing.RawCase;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a raw NIfTI case as nnU-Net's NibabelIO or SimpleITKIO would: channels stacked as float32,
 * every channel and the label with the same shape and spacing. The geometry goes into the
 * properties as {@code nibabel_stuff.original_affine} (NibabelIO) or {@code sitk_stuff}
 * spacing/origin/direction (SimpleITKIO), as {@link NiftiImage} computes them.
 */
public final class NiftiCaseReader implements CaseReader {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final boolean sitkProperties;

    /** @param imageReaderWriter the plans' image_reader_writer, e.g. "NibabelIO" or "SimpleITKIO" */
    public NiftiCaseReader(String imageReaderWriter) {
        this.sitkProperties = !imageReaderWriter.startsWith("Nibabel");
    }

    @Override
    public RawCase read(RawCaseFiles files) throws IOException {
        float[][] data = new float[files.images().size()][];
        NiftiImage first = null;
        for (int c = 0; c < data.length; c++) {
            Path p = files.images().get(c);
            NiftiImage img = Nifti.read(p);
            if (first == null) {
                first = img;
            } else {
                sameGeometry(first, img, files.images().get(0), p);
            }
            data[c] = img.toFloats();
        }
        if (first == null) {
            throw new IOException("case " + files.identifier() + ": no image files");
        }
        int[] shape = shape3d(first, files.images().get(0));
        short[] seg = null;
        if (files.label() != null) {
            NiftiImage l = Nifti.read(files.label());
            sameGeometry(first, l, files.images().get(0), files.label());
            seg = labels(l, files.label());
        }
        return new RawCase(files.identifier(), data, shape, seg, first.spacing(), geometry(first));
    }

    private static int[] shape3d(NiftiImage img, Path file) throws IOException {
        long[] s = img.shape();
        if (s.length != 3 || img.spacing().length != 3) {
            throw new IOException(file + ": expected a 3-d image, found shape (z, y, x) " + Arrays.toString(s));
        }
        return new int[]{(int) s[0], (int) s[1], (int) s[2]};
    }

    /** Integer labels straight to int16, without a float copy of the volume. */
    private static short[] labels(NiftiImage l, Path file) throws IOException {
        NdArray a = l.data();
        int n = Math.toIntExact(a.size());
        short[] out = new short[n];
        if (!a.dtype().isFloatingPoint() && !l.header().isScaled() && a.dtype().size() <= 2) {
            ByteBuffer b = a.data();
            for (int i = 0; i < n; i++) {
                int v;
                switch (a.dtype()) {
                    case UINT8:
                    case BOOL:
                        v = b.get(i) & 0xff;
                        break;
                    case INT8:
                        v = b.get(i);
                        break;
                    case INT16:
                        v = b.getShort(2 * i);
                        break;
                    default:
                        v = b.getShort(2 * i) & 0xffff;
                        break;
                }
                if (v > Short.MAX_VALUE) {
                    throw new IOException(file + ": label " + v + " at voxel " + i + " is over the int16 range");
                }
                out[i] = (short) v;
            }
            return out;
        }
        float[] f = l.toFloats();
        for (int i = 0; i < n; i++) {
            float v = f[i];
            if (v != Math.rint(v) || v < Short.MIN_VALUE || v > Short.MAX_VALUE) {
                throw new IOException(file + ": labels must be integers in the int16 range, found " + v + " at voxel " + i);
            }
            out[i] = (short) v;
        }
        return out;
    }

    private static void sameGeometry(NiftiImage a, NiftiImage b, Path pa, Path pb) throws IOException {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IOException(pb + ": shape (z, y, x) " + Arrays.toString(b.shape()) + " differs from "
                    + Arrays.toString(a.shape()) + " of " + pa);
        }
        if (!Arrays.equals(a.spacing(), b.spacing())) {
            throw new IOException(pb + ": spacing (z, y, x) " + Arrays.toString(b.spacing()) + " differs from "
                    + Arrays.toString(a.spacing()) + " of " + pa);
        }
    }

    private ObjectNode geometry(NiftiImage img) {
        ObjectNode root = MAPPER.createObjectNode();
        if (!sitkProperties) {
            ArrayNode rows = root.putObject("nibabel_stuff").putArray("original_affine");
            for (double[] row : img.affine()) {
                ArrayNode r = rows.addArray();
                for (double v : row) {
                    r.add(v);
                }
            }
            return root;
        }
        ObjectNode stuff = root.putObject("sitk_stuff");
        add(stuff.putArray("spacing"), img.sitkSpacing());
        add(stuff.putArray("origin"), img.origin());
        add(stuff.putArray("direction"), img.direction());
        return root;
    }

    private static void add(ArrayNode a, double[] values) {
        for (double v : values) {
            a.add(v + 0.0); // + 0.0: no negative zeros in the JSON
        }
    }
}
