package io.nnft.pycompat;

/**
 * The draws of numpy's legacy {@code np.random.RandomState(seed)} that nnU-Net relies on: MT19937 seeded
 * with {@code init_genrand}, bounded integers by masked rejection ({@code random_interval}, so
 * {@code randint(0, n)}) and {@code permutation} by Fisher-Yates from the end, so
 * {@code choice(n, k, replace=False)} is the first k entries of {@code permutation(n)}. numpy keeps this
 * stream stable across versions; reproducing it makes fingerprint statistics, sampled class locations
 * and default splits identical to nnU-Net's instead of merely close.
 */
public final class LegacyRandomState {
    private static final int N = 624;
    private static final int M = 397;
    private final int[] mt = new int[N];
    private int pos;

    public LegacyRandomState(long seed) {
        if (seed < 0 || seed > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("seed must be in [0, 2^32), found " + seed);
        }
        int s = (int) seed;
        for (int i = 0; i < N; i++) {
            mt[i] = s;
            s = 1812433253 * (s ^ (s >>> 30)) + i + 1;
        }
        pos = N;
    }

    private LegacyRandomState(int[] state, int pos) {
        System.arraycopy(state, 0, mt, 0, N);
        this.pos = pos;
    }

    public LegacyRandomState copy() {
        return new LegacyRandomState(mt, pos);
    }

    /** The next raw 32-bit output (as an unsigned value in a long). */
    public long nextUint32() {
        if (pos >= N) {
            regenerate();
        }
        int y = mt[pos++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y & 0xFFFFFFFFL;
    }

    private void regenerate() {
        int kk;
        for (kk = 0; kk < N - M; kk++) {
            int y = (mt[kk] & 0x80000000) | (mt[kk + 1] & 0x7fffffff);
            mt[kk] = mt[kk + M] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
        }
        for (; kk < N - 1; kk++) {
            int y = (mt[kk] & 0x80000000) | (mt[kk + 1] & 0x7fffffff);
            mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
        }
        int y = (mt[N - 1] & 0x80000000) | (mt[0] & 0x7fffffff);
        mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
        pos = 0;
    }

    /** {@code randint(0, n)}: uniform in [0, n) by masking to the next power of two and rejecting. */
    public int randint(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("randint upper bound must be > 0, found " + n);
        }
        return (int) interval(n - 1L);
    }

    /** {@code len} draws of {@link #randint(int)} into {@code out[off..off+len)}, the mask computed once. */
    public void randint(int n, int[] out, int off, int len) {
        if (n <= 0) {
            throw new IllegalArgumentException("randint upper bound must be > 0, found " + n);
        }
        long rng = n - 1L;
        if (rng == 0) {
            java.util.Arrays.fill(out, off, off + len, 0);
            return;
        }
        long mask = rng;
        mask |= mask >>> 1;
        mask |= mask >>> 2;
        mask |= mask >>> 4;
        mask |= mask >>> 8;
        mask |= mask >>> 16;
        for (int i = off; i < off + len; i++) {
            long v;
            do {
                v = nextUint32() & mask;
            } while (v > rng);
            out[i] = (int) v;
        }
    }

    private long nextUint64() {
        return (nextUint32() << 32) | nextUint32();
    }

    /** numpy's random_interval: uniform in [0, max] by rejection on the smallest covering bit mask. */
    public long interval(long max) {
        if (max == 0) {
            return 0;
        }
        long mask = max;
        mask |= mask >>> 1;
        mask |= mask >>> 2;
        mask |= mask >>> 4;
        mask |= mask >>> 8;
        mask |= mask >>> 16;
        mask |= mask >>> 32;
        long value;
        if (max <= 0xffffffffL) {
            do {
                value = nextUint32() & mask;
            } while (value > max);
        } else {
            do {
                value = nextUint64() & mask;
            } while (Long.compareUnsigned(value, max) > 0);
        }
        return value;
    }

    /** {@code permutation(n)}: arange(n) shuffled in place by legacy shuffle. */
    public int[] permutation(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int i = n - 1; i >= 1; i--) {
            int j = (int) interval(i);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }
}
