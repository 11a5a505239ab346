package io.nnft.preprocessing.sampling;

/**
 * The draws of numpy's legacy {@code np.random.RandomState(seed)} that nnU-Net's class-location
 * sampling uses: MT19937 seeded with init_genrand, bounded integers by masked rejection
 * (random_interval) and permutation by Fisher-Yates from the end, so {@code choice(n, k,
 * replace=False)} is the first k entries of {@code permutation(n)}. Reproducing it makes our sampled
 * locations identical to nnU-Net's, order included.
 */
public final class LegacyRandomState {
    private static final int N = 624;
    private static final int M = 397;
    private final int[] mt = new int[N];
    private int mti;

    public LegacyRandomState(long seed) {
        if (seed < 0 || seed > 0xffffffffL) {
            throw new IllegalArgumentException("seed must be between 0 and 2**32 - 1, found " + seed);
        }
        mt[0] = (int) seed;
        for (int i = 1; i < N; i++) {
            mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        }
        mti = N;
    }

    /** MT19937 genrand_int32, as an unsigned value in a long. */
    public long nextUint32() {
        if (mti >= N) {
            twist();
        }
        int y = mt[mti++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y & 0xffffffffL;
    }

    private void twist() {
        for (int k = 0; k < N; k++) {
            int y = (mt[k] & 0x80000000) | (mt[(k + 1) % N] & 0x7fffffff);
            mt[k] = mt[(k + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
        }
        mti = 0;
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
