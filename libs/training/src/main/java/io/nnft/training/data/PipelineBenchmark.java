package io.nnft.training.data;

/** Samples per second of the data pipeline alone (sampling + augmentation + DS targets) on background threads. */
public final class PipelineBenchmark {
    private PipelineBenchmark() {
    }

    public record Result(int batches, int batchSize, int threads, double seconds, double samplesPerSecond) {
    }

    public static Result run(BatchGenerator generator, int batches, int threads, int warmup) {
        try (BatchStream s = new BatchStream(generator::generate, 0, threads, Math.max(2, 2 * threads))) {
            for (int i = 0; i < warmup; i++) {
                s.next();
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < batches; i++) {
                s.next();
            }
            double sec = (System.nanoTime() - t0) / 1e9;
            return new Result(batches, generator.batchSize(), threads, sec, batches * generator.batchSize() / sec);
        }
    }
}
