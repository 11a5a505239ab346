package io.nnft.preprocessing;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Arrays;

/**
 * One case as the image reader hands it to the preprocessor: channels and label map in nnU-Net's
 * array order (z, y, x), the spacing in the same order, and what the reader records about the file
 * geometry ({@code nibabel_stuff} or {@code sitk_stuff}, copied into the properties as is).
 * The preprocessor releases the arrays once it has cropped them ({@link #release}), so a large case
 * does not stay in memory twice.
 */
public final class RawCase {
    private final String identifier;
    private final float[][] data;
    private final int[] shape;
    private short[] seg;
    private final boolean hasSeg;
    private final double[] spacing;
    private final ObjectNode readerProperties;

    /** @param seg null for the inference path (no label) */
    public RawCase(String identifier, float[][] data, int[] shape, short[] seg, double[] spacing,
                   ObjectNode readerProperties) {
        int n = 1;
        for (int s : shape) {
            n = Math.multiplyExact(n, s);
        }
        for (int c = 0; c < data.length; c++) {
            if (data[c].length != n) {
                throw new IllegalArgumentException(identifier + ": channel " + c + " has " + data[c].length
                        + " voxels, expected " + n + " for shape " + Arrays.toString(shape));
            }
        }
        if (seg != null && seg.length != n) {
            throw new IllegalArgumentException(identifier + ": label map has " + seg.length
                    + " voxels, expected " + n + " for image shape " + Arrays.toString(shape));
        }
        if (spacing.length != shape.length) {
            throw new IllegalArgumentException(identifier + ": spacing " + Arrays.toString(spacing)
                    + " has " + spacing.length + " axes, the image " + shape.length);
        }
        this.identifier = identifier;
        this.data = data;
        this.shape = shape.clone();
        this.seg = seg;
        this.hasSeg = seg != null;
        this.spacing = spacing.clone();
        this.readerProperties = readerProperties;
    }

    public String identifier() {
        return identifier;
    }

    /** The channels; entries are null after {@link #release}. */
    public float[][] data() {
        return data;
    }

    public int[] shape() {
        return shape.clone();
    }

    /** The label map, null for inference cases and after {@link #release}. */
    public short[] seg() {
        return seg;
    }

    /** Whether the case came with a label map (stays true after {@link #release}). */
    public boolean hasSeg() {
        return hasSeg;
    }

    public double[] spacing() {
        return spacing.clone();
    }

    public ObjectNode readerProperties() {
        return readerProperties;
    }

    /** Drops the references to the arrays so they can be collected. */
    public void release() {
        Arrays.fill(data, null);
        seg = null;
    }

    public long voxels() {
        long n = 1;
        for (int s : shape) {
            n *= s;
        }
        return n;
    }
}
