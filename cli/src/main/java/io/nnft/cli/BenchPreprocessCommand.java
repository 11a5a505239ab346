package io.nnft.cli;

import io.nnft.preprocessing.io.PreprocessingException;
import io.nnft.preprocessing.io.PreprocessingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code nnft bench preprocess}: preprocesses cases one at a time (all threads inside the case) and
 * prints per case the seconds (read, preprocess, write), voxels/s and the peak heap used above the
 * heap in use before the case (after a GC), from the JVM's per-pool peak counters.
 */
@Command(name = "preprocess", mixinStandardHelpOptions = true,
        description = "Per-case seconds, voxels/s and peak memory of nnft preprocess.")
public final class BenchPreprocessCommand implements Callable<Integer> {
    @Mixin
    PreprocessArgs args;

    @Option(names = "--output", description = "output folder (default: a temporary folder, deleted afterwards)")
    Path output;

    @Option(names = "--repeat", defaultValue = "1", description = "runs over the cases; the first warms the JIT (default: ${DEFAULT-VALUE})")
    int repeat;

    @Override
    public Integer call() throws Exception {
        args.check();
        Path out = output != null ? output : Files.createTempDirectory("nnft-bench-preprocess");
        List<String> ids = args.cases;
        try {
            System.out.printf("threads %d, configuration %s, heap max %d MiB%n", args.threadCount(), args.configuration,
                    Runtime.getRuntime().maxMemory() >> 20);
            System.out.printf("%-6s %-20s %8s %8s %8s %8s %12s %12s %14s %12s%n", "run", "case", "read_s", "prep_s",
                    "write_s", "total_s", "in_voxels", "out_voxels", "in_voxels/s", "peak_MiB");
            for (int run = 1; run <= repeat; run++) {
                List<String> all = ids;
                if (all == null || all.isEmpty()) {
                    all = io.nnft.preprocessing.io.RawCaseFiles.list(args.raw).stream().map(io.nnft.preprocessing.io.RawCaseFiles::identifier).toList();
                }
                for (String id : all) {
                    System.gc();
                    long base = heapUsed();
                    resetPeaks();
                    PreprocessingRun.CaseReport r;
                    try {
                        PreprocessArgs one = args;
                        List<String> saved = one.cases;
                        one.cases = List.of(id);
                        try {
                            r = PreprocessingRun.run(one.options(out, 1, false), args.reader(), null).get(0);
                        } finally {
                            one.cases = saved;
                        }
                    } catch (PreprocessingException | IllegalArgumentException | io.nnft.planning.PlansException
                 | io.nnft.dataset.DatasetFormatException | com.fasterxml.jackson.core.JsonProcessingException e) {
                        throw new BadInputException(e.getMessage(), e);
                    }
                    long peak = peakHeap() - base;
                    System.out.printf("%-6d %-20s %8.3f %8.3f %8.3f %8.3f %12d %12d %14.0f %12.1f%n", run, id,
                            r.readSeconds(), r.preprocessSeconds(), r.writeSeconds(), r.seconds(), r.inputVoxels(),
                            r.outputVoxels(), r.inputVoxels() / r.seconds(), peak / 1048576.0);
                }
            }
        } finally {
            if (output == null) {
                deleteTree(out);
            }
        }
        return 0;
    }

    private static long heapUsed() {
        long used = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                used += p.getUsage().getUsed();
            }
        }
        return used;
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    /** Sum of per-pool peaks: an upper bound of the true simultaneous peak. */
    private static long peakHeap() {
        long peak = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                peak += p.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
