package io.nnft.planning;

import io.nnft.pycompat.LegacyRandomState;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * The fingerprint's foreground statistics of one channel, computed exactly as nnU-Net v2 with numpy
 * 1.24 does: every case contributes {@code numSamples} voxels drawn with replacement by its seeded
 * generator; the samples of all cases are concatenated (float32, or float64 when a case has no
 * foreground) and reduced like numpy's add.reduce (pairwise within 8192-element blocks), float32
 * rounding after every operation. The samples are never materialised: each case regenerates its own
 * (cases in parallel) and hands back the sums of the blocks that lie inside it plus the raw values of
 * the blocks it shares with a neighbour; percentiles come from per-value sample counts.
 */
public final class ForegroundIntensityStatistics {
    /** numpy's PW_BLOCKSIZE. */
    private static final int PAIRWISE_BLOCK = 128;
    /**
     * numpy 1.24's add.reduce hands the inner loop at most one buffer (NPY_BUFSIZE = 8192 elements) at a
     * time: pairwise summation inside each block, plain accumulation across blocks. Summing the whole
     * array pairwise (numpy 2.x) gives a different float32 result on the reference data.
     */
    private static final int CHUNK = 8192;

    private ForegroundIntensityStatistics() {
    }

    public static IntensityProperties compute(List<CaseFingerprint> cases, int channel, int numSamples) {
        return compute(cases, channel, numSamples, null);
    }

    /** As {@link #compute(List, int, int)}, the cases' samples generated on {@code pool} (null: this thread). */
    public static IntensityProperties compute(List<CaseFingerprint> cases, int channel, int numSamples,
                                              ExecutorService pool) {
        boolean f32 = true;
        List<CaseFingerprint> nonEmpty = new ArrayList<>();
        for (CaseFingerprint c : cases) {
            if (c.foreground().get(channel).size() == 0) {
                f32 = false; // np.concatenate with [] promotes to float64
            } else {
                nonEmpty.add(c);
            }
        }
        if (nonEmpty.isEmpty()) {
            throw new PlansException("fingerprint: no case has foreground voxels (segmentation > 0 inside the "
                    + "nonzero crop) for channel " + channel + "; intensity statistics need at least one");
        }
        long total = (long) nonEmpty.size() * numSamples;
        double n = total;

        List<CasePass> pass1 = run(nonEmpty, channel, numSamples, f32, Double.NaN, pool);
        double sum = combine(pass1, total, f32);
        double mean = f32 ? (float) (sum / n) : sum / n;
        // numpy's _var divides the keepdims sum as an array: float32 by float32(n) in float32 mode
        double arrMean = f32 ? (float) sum / (float) n : sum / n;

        List<CasePass> pass2 = run(nonEmpty, channel, numSamples, f32, arrMean, pool);
        double sq = combine(pass2, total, f32);
        double var = f32 ? (float) (sq / n) : sq / n;
        double std = f32 ? (float) Math.sqrt(var) : Math.sqrt(var);

        Histogram h = new Histogram();
        for (CasePass p : pass1) {
            h.merge(p.values, p.counts);
        }
        return new IntensityProperties(mean, h.percentile(total, 50, f32), std, h.values[0], h.values[h.size - 1],
                h.percentile(total, 0.5, f32), h.percentile(total, 99.5, f32));
    }

    /**
     * One case's share of a pass: {@code head} and {@code tail} hold the raw elements of the blocks it
     * shares with its neighbours, {@code blockSums} the pairwise sums of the blocks entirely inside it.
     */
    private record CasePass(double[] head, double[] blockSums, double[] tail, double[] values, long[] counts) {
    }

    private static List<CasePass> run(List<CaseFingerprint> cases, int channel, int numSamples, boolean f32,
                                      double center, ExecutorService pool) {
        List<Callable<CasePass>> tasks = new ArrayList<>();
        for (int j = 0; j < cases.size(); j++) {
            final long start = (long) j * numSamples;
            final CaseFingerprint c = cases.get(j);
            tasks.add(() -> pass(c, channel, start, numSamples, f32, center));
        }
        List<CasePass> out = new ArrayList<>();
        try {
            if (pool == null) {
                for (Callable<CasePass> t : tasks) {
                    out.add(t.call());
                }
            } else {
                for (Future<CasePass> f : pool.invokeAll(tasks)) {
                    out.add(f.get());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while computing intensity statistics", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static CasePass pass(CaseFingerprint c, int channel, long start, int numSamples, boolean f32,
                                 double center) {
        ForegroundValues fg = c.foreground().get(channel);
        int fgSize = fg.size();
        LegacyRandomState rs = c.samplerAtChannel().get(channel).copy();
        boolean counting = Double.isNaN(center);
        int[] hits = counting ? new int[fgSize] : null;
        int[] idx = new int[CHUNK];
        double[] buf = new double[CHUNK];

        long end = start + numSamples;
        int headLen = (int) Math.min(numSamples, (CHUNK - start % CHUNK) % CHUNK);
        long bodyEnd = end - ((end - start - headLen) % CHUNK);
        int tailLen = (int) (end - bodyEnd);
        int blocks = (int) ((bodyEnd - start - headLen) / CHUNK);

        double[] head = new double[headLen];
        fill(rs, fg, fgSize, idx, head, headLen, hits, f32, center);
        double[] sums = new double[blocks];
        for (int b = 0; b < blocks; b++) {
            fill(rs, fg, fgSize, idx, buf, CHUNK, hits, f32, center);
            sums[b] = pairwise(buf, 0, CHUNK, f32);
        }
        double[] tail = new double[tailLen];
        fill(rs, fg, fgSize, idx, tail, tailLen, hits, f32, center);

        if (!counting) {
            return new CasePass(head, sums, tail, null, null);
        }
        // (value, count) pairs sorted by value: float bits made order-preserving in the high half
        int used = 0;
        long[] packed = new long[fgSize];
        for (int i = 0; i < fgSize; i++) {
            if (hits[i] > 0) {
                packed[used++] = ((long) sortableBits(fg.get(i)) << 32) | (hits[i] & 0xFFFFFFFFL);
            }
        }
        packed = Arrays.copyOf(packed, used);
        Arrays.sort(packed);
        double[] v = new double[used];
        long[] cnt = new long[used];
        int m = 0;
        for (int i = 0; i < used; i++) {
            float val = fromSortableBits((int) (packed[i] >> 32));
            long k = packed[i] & 0xFFFFFFFFL;
            if (m > 0 && v[m - 1] == val) {
                cnt[m - 1] += k;
            } else {
                v[m] = val;
                cnt[m++] = k;
            }
        }
        return new CasePass(head, sums, tail, Arrays.copyOf(v, m), Arrays.copyOf(cnt, m));
    }

    private static void fill(LegacyRandomState rs, ForegroundValues fg, int fgSize, int[] idx, double[] out, int len,
                             int[] hits, boolean f32, double center) {
        rs.randint(fgSize, idx, 0, len);
        if (hits != null) {
            for (int i = 0; i < len; i++) {
                hits[idx[i]]++;
                out[i] = fg.get(idx[i]);
            }
        } else {
            for (int i = 0; i < len; i++) {
                double x = round(f32, fg.get(idx[i]) - center);
                out[i] = round(f32, x * x);
            }
        }
    }

    /** Accumulates the blocks in order; a block shared by several cases is summed from their raw pieces. */
    private static double combine(List<CasePass> passes, long total, boolean f32) {
        double acc = 0;
        double[] pending = new double[CHUNK];
        int pendingLen = 0;
        for (CasePass p : passes) {
            for (double v : p.head) {
                pending[pendingLen++] = v;
            }
            if (pendingLen == CHUNK || (pendingLen > 0 && (p.blockSums.length > 0 || p.tail.length > 0))) {
                acc = round(f32, acc + pairwise(pending, 0, pendingLen, f32));
                pendingLen = 0;
            }
            for (double s : p.blockSums) {
                acc = round(f32, acc + s);
            }
            for (double v : p.tail) {
                pending[pendingLen++] = v;
            }
        }
        if (pendingLen > 0) {
            acc = round(f32, acc + pairwise(pending, 0, pendingLen, f32));
        }
        return acc;
    }

    private static double round(boolean f32, double v) {
        return f32 ? (float) v : v;
    }

    /** numpy's pairwise_sum of {@code a[off..off+n)}. */
    static double pairwise(double[] a, int off, int n, boolean f32) {
        if (n < 8) {
            double res = -0.0;
            for (int i = 0; i < n; i++) {
                res = round(f32, res + a[off + i]);
            }
            return res;
        }
        if (n <= PAIRWISE_BLOCK) {
            double r0 = a[off], r1 = a[off + 1], r2 = a[off + 2], r3 = a[off + 3];
            double r4 = a[off + 4], r5 = a[off + 5], r6 = a[off + 6], r7 = a[off + 7];
            int i;
            for (i = 8; i < n - (n % 8); i += 8) {
                int k = off + i;
                r0 = round(f32, r0 + a[k]);
                r1 = round(f32, r1 + a[k + 1]);
                r2 = round(f32, r2 + a[k + 2]);
                r3 = round(f32, r3 + a[k + 3]);
                r4 = round(f32, r4 + a[k + 4]);
                r5 = round(f32, r5 + a[k + 5]);
                r6 = round(f32, r6 + a[k + 6]);
                r7 = round(f32, r7 + a[k + 7]);
            }
            double res = round(f32, round(f32, round(f32, r0 + r1) + round(f32, r2 + r3))
                    + round(f32, round(f32, r4 + r5) + round(f32, r6 + r7)));
            for (; i < n; i++) {
                res = round(f32, res + a[off + i]);
            }
            return res;
        }
        int n2 = n / 2;
        n2 -= n2 % 8;
        return round(f32, pairwise(a, off, n2, f32) + pairwise(a, off + n2, n - n2, f32));
    }

    /** Float bits mapped so that signed int order equals float order (-0.0 folded into 0.0). */
    private static int sortableBits(float f) {
        int b = Float.floatToIntBits(f == 0 ? 0f : f);
        return b < 0 ? b ^ 0x7FFFFFFF : b;
    }

    private static float fromSortableBits(int s) {
        return Float.intBitsToFloat(s < 0 ? s ^ 0x7FFFFFFF : s);
    }

    /** Sorted distinct sample values with their counts, merged over the cases. */
    private static final class Histogram {
        double[] values = new double[0];
        long[] counts = new long[0];
        int size;

        void merge(double[] v, long[] cnt) {
            double[] nv = new double[size + v.length];
            long[] nc = new long[size + v.length];
            int i = 0, j = 0, k = 0;
            while (i < size || j < v.length) {
                if (j >= v.length || (i < size && values[i] < v[j])) {
                    nv[k] = values[i];
                    nc[k++] = counts[i++];
                } else if (i >= size || v[j] < values[i]) {
                    nv[k] = v[j];
                    nc[k++] = cnt[j++];
                } else {
                    nv[k] = v[j];
                    nc[k++] = counts[i++] + cnt[j++];
                }
            }
            values = nv;
            counts = nc;
            size = k;
        }

        /**
         * numpy's linear percentile over the sorted samples: virtual index (n - 1) q, the neighbour
         * difference in the array's precision, the interpolation in float64.
         */
        double percentile(long total, double q, boolean f32) {
            double virtual = (total - 1) * (q / 100.0);
            if (virtual >= total - 1) {
                return values[size - 1];
            }
            long prev = (long) Math.floor(Math.max(virtual, 0));
            double a = elementAt(prev);
            double b = elementAt(prev + 1);
            double t = virtual - prev;
            double diff = round(f32, b - a);
            return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
        }

        private double elementAt(long k) {
            long seen = 0;
            for (int i = 0; i < size; i++) {
                seen += counts[i];
                if (k < seen) {
                    return values[i];
                }
            }
            return values[size - 1];
        }
    }
}
