package io.nnft.training.data;

/**
 * One training sample on primitive arrays: image (channel-major, then z, y, x) and a one-channel
 * segmentation of the same spatial shape. Augmentations modify it in place or replace the arrays.
 */
public final class Sample {
    public int channels;
    public int[] shape;
    public float[] image;
    public short[] seg;

    public Sample(int channels, int[] shape, float[] image, short[] seg) {
        this.channels = channels;
        this.shape = shape.clone();
        this.image = image;
        this.seg = seg;
    }

    public int voxels() {
        return shape[0] * shape[1] * shape[2];
    }
}
