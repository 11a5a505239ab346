package io.nnft.preprocessing;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.stream.IntStream;

/**
 * Splits index ranges over a fork-join pool. One pool serves both levels of parallelism (cases and
 * slabs of one volume): a case task that fans out its slabs lets idle workers steal them, so a
 * single large case still uses every thread while many small cases do not oversubscribe.
 */
public final class Parallel {
    /** Runs everything in the calling thread; for tests and tiny inputs. */
    public static final Parallel SEQUENTIAL = new Parallel(null);

    private final ForkJoinPool pool;

    private Parallel(ForkJoinPool pool) {
        this.pool = pool;
    }

    public static Parallel on(ForkJoinPool pool) {
        return new Parallel(pool);
    }

    public int threads() {
        return pool == null ? 1 : pool.getParallelism();
    }

    /** Work on a half-open index range; chunk bodies allocate their scratch buffers once per chunk. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /** Calls {@code body} on disjoint chunks covering [0, n), in parallel, and waits for all of them. */
    public void forRange(int n, RangeBody body) {
        if (n <= 0) {
            return;
        }
        int chunks = Math.min(n, threads() * 4);
        if (chunks <= 1 || pool == null) {
            body.run(0, n);
            return;
        }
        Runnable all = () -> IntStream.range(0, chunks).parallel().forEach(c -> {
            int from = (int) ((long) n * c / chunks);
            int to = (int) ((long) n * (c + 1) / chunks);
            if (from < to) {
                body.run(from, to);
            }
        });
        if (ForkJoinTask.getPool() == pool) {
            // already inside our pool (a case task): the parallel stream joins this pool's workers
            all.run();
        } else {
            pool.submit(all).join();
        }
    }
}
