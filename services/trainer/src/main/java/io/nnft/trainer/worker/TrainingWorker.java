package io.nnft.trainer.worker;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nnft.network.Networks;
import io.nnft.classification.ClassificationTask;
import io.nnft.training.CheckpointWriter;
import io.nnft.training.EpochSummary;
import io.nnft.training.SegmentationTask;
import io.nnft.training.StepDecorator;
import io.nnft.training.Trainer;
import io.nnft.training.TrainingDivergedException;
import io.nnft.training.TrainingListener;
import io.nnft.training.TrainingResult;
import io.nnft.training.TrainingTask;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One training attempt in its own JVM: {@code java -cp ... io.nnft.trainer.worker.TrainingWorker spec.json}.
 * DJL allows one gradient collector per JVM, and a crashed or killed attempt must not take the service with
 * it, so the trainer service runs every attempt as a child process and reads {@link WorkerLine}s from its
 * stdout. The worker exits when its stdin reaches end-of-file (the service died), so no orphan keeps a GPU.
 *
 * <p>Exit codes: 0 a {@code result} line was written (completed, early-stopped or cancelled); 2 an
 * {@code error} line was written (a diverged run among them: not retriable, its reason the
 * {@link TrainingDivergedException}'s message); 3 the device was refused; 4 the parent went away.
 */
public final class TrainingWorker {
    /**
     * The attempt's W3C trace context, in the worker's environment (OpenTelemetry's carrier for a child process). The
     * worker emits no spans (the service makes them from its lines); it logs the context and echoes it when it starts.
     */
    public static final String TRACEPARENT_ENV = "TRACEPARENT";

    private TrainingWorker() {
    }

    public static void main(String[] args) {
        main(args, StepDecorator.NONE);
    }

    /**
     * The worker with a {@link StepDecorator} around every training iteration: the seam of fault-injection tests,
     * whose own main (in test sources) calls this. Production starts {@link #main(String[])}.
     */
    public static void main(String[] args, StepDecorator faults) {
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        // Whatever a library prints goes to stderr (the worker log); stdout carries the protocol only.
        System.setOut(System.err);
        if (!"false".equals(System.getProperty("nnft.worker.watch-stdin"))) {
            watchParent(System.in);
        }
        int code = run(args, protocol, faults);
        protocol.flush();
        System.exit(code);
    }

    static void watchParent(InputStream in) {
        Thread t = new Thread(() -> {
            try {
                while (in.read() >= 0) {
                    // The service never writes; end-of-file means it is gone.
                }
            } catch (IOException ignored) {
                // Same: the pipe broke.
            }
            System.err.println("nnft worker: stdin closed, the trainer service is gone; stopping");
            Runtime.getRuntime().halt(4);
        }, "parent-watch");
        t.setDaemon(true);
        t.start();
    }

    static int run(String[] args, PrintStream out) {
        return run(args, out, StepDecorator.NONE);
    }

    static int run(String[] args, PrintStream out, StepDecorator faults) {
        if (args.length != 1) {
            emit(out, error("usage: TrainingWorker <spec.json>, found " + args.length + " arguments", false));
            return 2;
        }
        WorkerSpec spec;
        try {
            spec = WorkerLine.MAPPER.readValue(Path.of(args[0]).toFile(), WorkerSpec.class);
        } catch (IOException e) {
            emit(out, error(args[0] + ": expected a worker spec (JSON), could not read it: " + e.getMessage(), false));
            return 2;
        }
        Engine engine = Networks.engine();
        DeviceSelection device = DeviceSelection.decide(engine.getGpuCount(), engine.defaultDevice().toString(),
                engine.getEngineName() + " " + engine.getVersion(), spec.requireGpu());
        ObjectNode started = WorkerLine.of(WorkerLine.STARTED);
        started.put("device", device.device());
        started.put("gpuCount", device.gpuCount());
        started.put("engine", engine.getEngineName() + " " + engine.getVersion());
        started.put("pid", ProcessHandle.current().pid());
        String traceparent = System.getenv(TRACEPARENT_ENV);
        if (traceparent != null && !traceparent.isBlank()) {
            started.put("traceparent", traceparent);
            System.err.println("nnft worker: job " + spec.jobId() + ", trace context " + traceparent);
        }
        emit(out, started);
        if (device.refused()) {
            // A deployment problem, not the job's: another node (or a fixed image) can train it.
            emit(out, error(device.refusal(), true));
            return 3;
        }
        Path cancel = spec.cancelFile() == null ? null : Path.of(spec.cancelFile());
        try (TrainingTask<?> task = spec.trainsClassifier()
                ? ClassificationTask.open(spec.classificationInputs(), spec.classificationSettings())
                : SegmentationTask.open(spec.inputs(), spec.trainingSettings())) {
            TrainingResult<?> r = Trainer.train(task, new TrainingListener() {
                @Override
                public void message(String text) {
                    ObjectNode m = WorkerLine.of(WorkerLine.MESSAGE);
                    m.put("text", text);
                    emit(out, m);
                }

                @Override
                public void epochEnded(EpochSummary record, List<String> classNames, int epochs, double etaSeconds) {
                    ObjectNode e = WorkerLine.of(WorkerLine.EPOCH);
                    e.put("epoch", record.epoch());
                    e.put("epochs", epochs);
                    e.set("metrics", WorkerLine.metrics(record.metrics(classNames)));
                    e.put("etaSeconds", Math.max(0, etaSeconds));
                    emit(out, e);
                }

                @Override
                public boolean cancelRequested() {
                    return cancel != null && Files.exists(cancel);
                }
            }, faults, CheckpointWriter.ATOMIC);
            emit(out, result(r, device.device()));
            return 0;
        } catch (TrainingDivergedException e) {
            emit(out, diverged(e));
            return 2;
        } catch (IllegalArgumentException e) {
            // Bad inputs (plans, dataset, labels, splits, pretrained weights): the same attempt would fail again.
            emit(out, error(e.getMessage(), false));
            e.printStackTrace();
            return 2;
        } catch (Throwable e) {
            emit(out, error(e.getClass().getSimpleName() + ": " + e.getMessage(), true));
            e.printStackTrace();
            return 2;
        }
    }

    /**
     * The {@code result} line: how it stopped, the monitored metric ({@code metric}, {@code bestMetric},
     * {@code bestEpoch}; segmentation's also as {@code bestEma}), the final validation Dice when it ran, the class
     * names and the last epoch's metrics.
     */
    static ObjectNode result(TrainingResult<?> r, String device) {
        ObjectNode res = WorkerLine.of(WorkerLine.RESULT);
        res.put("stopReason", r.stopReason());
        res.put("epochsRun", r.epochsRun());
        res.put("lastEpoch", r.lastEpoch());
        res.put("metric", r.metric());
        if (!Double.isNaN(r.best())) {
            res.put("bestMetric", r.best());
            if (r.metric().equals("ema_pseudo_dice")) {
                res.put("bestEma", r.best());
            }
        }
        res.put("bestEpoch", r.bestEpoch());
        if (r.finalValidationDice() != null && !r.finalValidationDice().isNaN()) {
            // nnU-Net's final validation (whole cases, foreground mean Dice); absent when it was skipped
            res.put("finalValidationDice", r.finalValidationDice());
        }
        r.classNames().forEach(res.putArray("classes")::add);
        res.put("device", device);
        if (!r.log().isEmpty()) {
            EpochSummary last = r.log().get(r.log().size() - 1);
            res.set("finalMetrics", WorkerLine.metrics(last.metrics(r.classNames())));
        }
        return res;
    }

    /**
     * A diverged run: not retriable, since the next attempt resumes from the same checkpoint with the same settings
     * and data and would diverge again; the message is the reason JobFailed carries.
     */
    static ObjectNode diverged(TrainingDivergedException e) {
        return error(e.getMessage(), false);
    }

    static ObjectNode error(String message, boolean retriable) {
        ObjectNode e = WorkerLine.of(WorkerLine.ERROR);
        e.put("message", message);
        e.put("retriable", retriable);
        return e;
    }

    private static synchronized void emit(PrintStream out, ObjectNode line) {
        out.println(WorkerLine.render(line));
        out.flush();
    }
}
