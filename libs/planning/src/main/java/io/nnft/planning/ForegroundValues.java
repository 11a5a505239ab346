package io.nnft.planning;

/**
 * The foreground voxel values of one channel of one case, in C order of the cropped image (the order
 * nnU-Net's {@code images[i][foreground_mask]} yields). Kept until the statistics are computed because
 * nnU-Net's samples index into this array; integral data in int16 range is stored in half the memory.
 */
public abstract sealed class ForegroundValues permits ForegroundValues.Shorts, ForegroundValues.Floats {

    public abstract int size();

    public abstract float get(int i);

    /** Picks the compact form when every value is an integer in int16 range. */
    public static ForegroundValues of(float[] values, int count) {
        boolean integral = true;
        for (int i = 0; i < count && integral; i++) {
            float v = values[i];
            integral = v == (short) v && !(v == 0 && 1 / v < 0);
        }
        if (integral) {
            short[] s = new short[count];
            for (int i = 0; i < count; i++) {
                s[i] = (short) values[i];
            }
            return new Shorts(s);
        }
        return new Floats(java.util.Arrays.copyOf(values, count));
    }

    static final class Shorts extends ForegroundValues {
        private final short[] v;

        Shorts(short[] v) {
            this.v = v;
        }

        @Override
        public int size() {
            return v.length;
        }

        @Override
        public float get(int i) {
            return v[i];
        }
    }

    static final class Floats extends ForegroundValues {
        private final float[] v;

        Floats(float[] v) {
            this.v = v;
        }

        @Override
        public int size() {
            return v.length;
        }

        @Override
        public float get(int i) {
            return v[i];
        }
    }
}
