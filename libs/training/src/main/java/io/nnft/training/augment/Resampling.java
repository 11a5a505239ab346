package io.nnft.training.augment;

/** torch.nn.functional.interpolate on one channel (z, y, x): 'nearest-exact' and 'trilinear' (align_corners=False). */
public final class Resampling {
    private Resampling() {
    }

    public static float[] nearestExact(float[] in, int[] inShape, int[] outShape) {
        int[][] src = new int[3][];
        for (int d = 0; d < 3; d++) {
            src[d] = new int[outShape[d]];
            float ratio = (float) inShape[d] / outShape[d];
            for (int i = 0; i < outShape[d]; i++) {
                src[d][i] = Math.min((int) Math.floor((i + 0.5f) * ratio), inShape[d] - 1);
            }
        }
        float[] out = new float[outShape[0] * outShape[1] * outShape[2]];
        int o = 0;
        for (int z = 0; z < outShape[0]; z++) {
            for (int y = 0; y < outShape[1]; y++) {
                int row = (src[0][z] * inShape[1] + src[1][y]) * inShape[2];
                for (int x = 0; x < outShape[2]; x++) {
                    out[o++] = in[row + src[2][x]];
                }
            }
        }
        return out;
    }

    public static float[] trilinear(float[] in, int[] inShape, int[] outShape) {
        int[][] lo = new int[3][];
        float[][] w = new float[3][];
        for (int d = 0; d < 3; d++) {
            lo[d] = new int[outShape[d]];
            w[d] = new float[outShape[d]];
            float scale = (float) inShape[d] / outShape[d];
            for (int i = 0; i < outShape[d]; i++) {
                float src = Math.max(0f, (i + 0.5f) * scale - 0.5f);
                int l = Math.min((int) src, inShape[d] - 1);
                lo[d][i] = l;
                w[d][i] = l < inShape[d] - 1 ? src - l : 0f;
            }
        }
        int sy = inShape[2];
        int sz = inShape[1] * inShape[2];
        float[] out = new float[outShape[0] * outShape[1] * outShape[2]];
        int o = 0;
        for (int z = 0; z < outShape[0]; z++) {
            int z0 = lo[0][z];
            int z1 = Math.min(z0 + 1, inShape[0] - 1);
            float wz = w[0][z];
            for (int y = 0; y < outShape[1]; y++) {
                int y0 = lo[1][y];
                int y1 = Math.min(y0 + 1, inShape[1] - 1);
                float wy = w[1][y];
                for (int x = 0; x < outShape[2]; x++) {
                    int x0 = lo[2][x];
                    int x1 = Math.min(x0 + 1, inShape[2] - 1);
                    float wx = w[2][x];
                    float c00 = in[z0 * sz + y0 * sy + x0] * (1 - wx) + in[z0 * sz + y0 * sy + x1] * wx;
                    float c01 = in[z0 * sz + y1 * sy + x0] * (1 - wx) + in[z0 * sz + y1 * sy + x1] * wx;
                    float c10 = in[z1 * sz + y0 * sy + x0] * (1 - wx) + in[z1 * sz + y0 * sy + x1] * wx;
                    float c11 = in[z1 * sz + y1 * sy + x0] * (1 - wx) + in[z1 * sz + y1 * sy + x1] * wx;
                    float c0 = c00 * (1 - wy) + c01 * wy;
                    float c1 = c10 * (1 - wy) + c11 * wy;
                    out[o++] = c0 * (1 - wz) + c1 * wz;
                }
            }
        }
        return out;
    }
}
