package io.nnft.planning;

/**
 * One training case as the fingerprint needs it: every channel and the segmentation as float32 arrays
 * in nnU-Net's (z, y, x) C order, the shape and the spacing (z, y, x) as the reader reports it.
 *
 * @param id       case identifier, for messages
 * @param channels one array per channel, each of {@code shape} voxels
 * @param seg      segmentation, same shape; foreground is {@code > 0}
 * @param shape    (z, y, x)
 * @param spacing  (z, y, x)
 */
public record CaseData(String id, float[][] channels, float[] seg, int[] shape, double[] spacing) {

    public CaseData {
        if (channels.length == 0) {
            throw new PlansException("case " + id + ": no image channels");
        }
        long n = 1;
        for (int s : shape) {
            n *= s;
        }
        for (int c = 0; c < channels.length; c++) {
            if (channels[c].length != n) {
                throw new PlansException("case " + id + ": channel " + c + " has " + channels[c].length
                        + " voxels, expected " + n + " for shape " + java.util.Arrays.toString(shape));
            }
        }
        if (seg.length != n) {
            throw new PlansException("case " + id + ": segmentation has " + seg.length + " voxels, expected " + n
                    + " for shape " + java.util.Arrays.toString(shape));
        }
    }
}
