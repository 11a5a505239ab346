package io.nnft.trainer.worker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nnft.network.SelfCheck;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The engine self-check ({@link SelfCheck}, what {@code nnft doctor} runs) for one job's plan, in its own JVM on the
 * device a {@link TrainingWorker} would train on: {@code java -cp ... io.nnft.trainer.worker.SelfCheckWorker
 * <nnUNetPlans.json> <configuration> <dataset.json> <scratch dir> [batch]}. Same class path, JVM options and
 * environment as the training worker, so it sees the same libtorch, oneDNN and device; its own JVM because DJL allows
 * one gradient collector per JVM and a crashing kernel must not take the service with it.
 *
 * <p>stdout: one {@link #LINE} line ({@code ok}, {@code verdict}, {@code seconds}, {@code repair},
 * {@code repairSwitchedOn}, {@code device}, {@code plan}) or an {@link WorkerLine#ERROR} line; the check's own log
 * goes to stderr. Exit codes: 0 OK, 1 FAILED, 2 could not run, 4 the parent went away.
 */
public final class SelfCheckWorker {
    public static final String LINE = "selfcheck";
    /** The reason {@link io.nnft.network.ConvBackwardRepair} gives when {@link SelfCheck#run} switched it on. */
    static final String SWITCHED_ON_BY_CHECK = "auto: the plan's self-check found";

    private SelfCheckWorker() {
    }

    public static void main(String[] args) {
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        if (!"false".equals(System.getProperty("nnft.worker.watch-stdin"))) {
            TrainingWorker.watchParent(System.in);
        }
        int code = run(args, protocol);
        protocol.flush();
        System.exit(code);
    }

    static int run(String[] args, PrintStream out) {
        if (args.length != 4 && args.length != 5) {
            out.println(WorkerLine.render(TrainingWorker.error("usage: SelfCheckWorker <nnUNetPlans.json> <configuration> "
                    + "<dataset.json> <scratch dir> [batch], found " + args.length + " arguments", false)));
            return 2;
        }
        try {
            PlanShape shape = PlanShape.of(Path.of(args[0]), args[1], Path.of(args[2]),
                    args.length == 5 ? Integer.valueOf(args[4]) : null);
            Path scratch = Files.createDirectories(Path.of(args[3]));
            System.err.println("self-check of plan " + shape.key() + " (" + shape.description() + ")");
            SelfCheck.Result r = SelfCheck.run(shape.network(), shape.batch(), scratch, System.err::println);
            System.err.printf("self-check took %.1f s%n%s%n", r.seconds(), r.verdict());
            ObjectNode line = WorkerLine.of(LINE);
            line.put("ok", r.ok());
            line.put("verdict", r.verdict());
            line.put("seconds", r.seconds());
            line.put("repair", r.repair());
            // Only a plan-specific finding needs passing on: the training worker's own probe finds the machine-wide one.
            line.put("repairSwitchedOn", r.repair() != null && r.repair().startsWith(SWITCHED_ON_BY_CHECK));
            line.put("device", r.environment().device());
            line.put("plan", shape.key());
            out.println(WorkerLine.render(line));
            return r.ok() ? 0 : 1;
        } catch (Exception | LinkageError e) {
            e.printStackTrace();
            out.println(WorkerLine.render(TrainingWorker.error(e.getClass().getSimpleName() + ": " + e.getMessage(), true)));
            return 2;
        }
    }
}
