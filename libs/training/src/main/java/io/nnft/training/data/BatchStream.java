package io.nnft.training.data;

import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongFunction;

/**
 * Batches {@code first, first+1, …} produced ahead of the consumer by background threads, delivered in
 * order; at most {@code prefetch} batches are in flight or waiting (a bounded queue). The time the consumer
 * spends blocked in {@link #next()} is recorded: it is the pipeline's share of the epoch time.
 */
public final class BatchStream implements AutoCloseable {
    private static final AtomicInteger POOLS = new AtomicInteger();
    private final LongFunction<Batch> generator;
    private final ExecutorService pool;
    private final ArrayDeque<Future<Batch>> queue = new ArrayDeque<>();
    private final int prefetch;
    private long nextToSubmit;
    private long waitNanos;

    public BatchStream(LongFunction<Batch> generator, long first, int threads, int prefetch) {
        if (threads < 1 || prefetch < 1) {
            throw new IllegalArgumentException("batch stream: expected >= 1 thread and prefetch, found " + threads
                    + " and " + prefetch);
        }
        this.generator = generator;
        this.prefetch = prefetch;
        this.nextToSubmit = first;
        int id = POOLS.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "nnft-batches-" + id + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        fill();
    }

    private void fill() {
        while (queue.size() < prefetch) {
            long i = nextToSubmit++;
            queue.add(pool.submit(() -> generator.apply(i)));
        }
    }

    public Batch next() {
        Future<Batch> f = queue.poll();
        long t0 = System.nanoTime();
        try {
            Batch b = f.get();
            waitNanos += System.nanoTime() - t0;
            fill();
            return b;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a batch", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("batch generation failed: " + c, c);
        }
    }

    /** Nanoseconds the consumer waited for batches so far (then reset). */
    public long takeWaitNanos() {
        long w = waitNanos;
        waitNanos = 0;
        return w;
    }

    @Override
    public void close() {
        queue.forEach(f -> f.cancel(true));
        pool.shutdownNow();
    }
}
