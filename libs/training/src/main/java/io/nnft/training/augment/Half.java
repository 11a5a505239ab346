package io.nnft.training.augment;

/**
 * Rounding to IEEE half precision (float16, ties to even) for non-negative values below 65504: batchgeneratorsv2
 * keeps the interpolated label indicators in a float16 tensor before thresholding and argmax. Java 17 has no
 * float16 type (Float.floatToFloat16 is Java 20).
 */
final class Half {
    private Half() {
    }

    static float round(float v) {
        if (v == 0) {
            return 0;
        }
        int exponent = Math.max(Math.getExponent(v), -14); // below 2^-14 float16 is subnormal: fixed spacing 2^-24
        float ulp = Math.scalb(1f, exponent - 10);
        return (float) (Math.rint(v / ulp) * ulp);
    }
}
