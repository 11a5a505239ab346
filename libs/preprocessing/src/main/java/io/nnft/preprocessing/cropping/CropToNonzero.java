package io.nnft.preprocessing.cropping;

/**
 * nnU-Net's crop_to_nonzero: crops all channels (and the label map) to the box of the nonzero mask
 * and marks background outside the mask with -1 in the label map. Without a label map the result
 * map is 0 inside the mask and -1 outside (the inference path). The fingerprint needs only the box:
 * planning's {@code NonzeroBoundingBox}.
 */
public final class CropToNonzero {
    /** nnU-Net's nonzero_label. */
    public static final short OUTSIDE = -1;

    private CropToNonzero() {
    }

    /** The cropped channels and label map, the box used, and the cropped shape. */
    public record Result(float[][] data, short[] seg, CropBox box, int[] shape) {
    }

    /** Leaves the inputs as they are. */
    public static Result crop(float[][] data, short[] seg, int[] shape) {
        return cropConsuming(data.clone(), new short[][]{seg}, shape);
    }

    /**
     * Like {@link #crop}, but hands every uncropped array over: {@code data[c]} and {@code seg[0]}
     * are set to null as soon as they are cropped, so a large case is not held twice.
     *
     * @param seg a one-element holder of the label map; the map may be null (inference path)
     */
    public static Result cropConsuming(float[][] data, short[][] seg, int[] shape) {
        boolean[] mask = NonzeroMask.create(data, shape);
        CropBox box = CropBox.of(mask, shape);
        boolean[] inside = box.crop(mask, shape);
        mask = null;
        short[] out;
        if (seg[0] != null) {
            out = box.crop(seg[0], shape);
            seg[0] = null;
            for (int i = 0; i < out.length; i++) {
                if (out[i] == 0 && !inside[i]) {
                    out[i] = OUTSIDE;
                }
            }
        } else {
            out = new short[inside.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = inside[i] ? 0 : OUTSIDE;
            }
        }
        float[][] cropped = new float[data.length][];
        for (int c = 0; c < data.length; c++) {
            float[] channel = data[c];
            data[c] = null;
            cropped[c] = box.crop(channel, shape);
        }
        return new Result(cropped, out, box, box.shape());
    }
}
